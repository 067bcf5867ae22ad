package io.replagent.history;

import io.replagent.system.Processes;
import io.replagent.tree.RawNames;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restore's pulls: one rsync per source (the mirror, each history batch) and part of at most {@value #PART} paths,
 * each from a files-from list (NUL-separated, a private temp file: nothing of a name reaches argv). Every pull starts
 * at {@link TargetRsync#pullRoot}; a line names {@code [url path/]SOURCE/./PATH}, and the {@code /./} makes only PATH
 * the name at the destination (rsync's --relative, implied by --files-from).
 * {@code -a} without {@code -r}: a listed directory is made, not descended (its restored paths are listed themselves).
 */
final class Pull {

    static final int PART = 2000;

    private Pull() {}

    static void fetch(TargetRsync rsync, RestorePlanner.Plan plan, Path to, HistoryStore.Progress progress) throws IOException {
        Files.createDirectories(to);
        Map<String, List<RestorePlanner.Item>> bySource = new LinkedHashMap<>();
        long files = 0, bytes = 0;
        for (RestorePlanner.Item i : plan.items()) {
            if (i.source() == RestorePlanner.Source.EMPTY_DIR) {
                // nothing to pull: made here (a name that is not UTF-8 cannot be a Java path and is left out)
                if (RawNames.isUtf8(i.path())) Files.createDirectories(to.resolve(RawNames.display(i.path())));
                continue;
            }
            String from = i.source() == RestorePlanner.Source.MIRROR ? "" : Layout.HISTORY + "/" + i.batch() + "/";
            bySource.computeIfAbsent(from, k -> new ArrayList<>()).add(i);
        }
        String dest = to.toAbsolutePath().toString() + "/";
        for (Map.Entry<String, List<RestorePlanner.Item>> source : bySource.entrySet()) {
            List<RestorePlanner.Item> items = source.getValue();
            for (int start = 0; start < items.size(); start += PART) {
                List<RestorePlanner.Item> part = items.subList(start, Math.min(items.size(), start + PART));
                Path list = Files.createTempFile("agent-restore-", ".list",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.write(list, pathList(rsync.pullPrefix() + source.getKey(), part));
                    Processes.Result r = rsync.run(List.of("-a", "--from0", "--files-from=" + list, rsync.pullRoot(), dest));
                    if (!r.ok()) throw rsync.failed("restore from " + rsync.root() + source.getKey(), r);
                } finally {
                    Files.deleteIfExists(list);
                }
                for (RestorePlanner.Item i : part) {
                    if (i.node().type() == Listing.Type.DIR) continue;
                    files++;
                    bytes += i.node().size();
                }
                progress.done(files, bytes);
            }
        }
    }

    /** "./" leads a line that has no prefix: rsync drops a files-from line starting with '#' or ';' as a comment. */
    private static byte[] pathList(String from, List<RestorePlanner.Item> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] lead = RawNames.bytes(from + "./");
        for (RestorePlanner.Item i : items) {
            out.writeBytes(lead);
            out.writeBytes(RawNames.bytes(i.path()));
            out.write(0);
        }
        return out.toByteArray();
    }
}
