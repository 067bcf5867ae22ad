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
 * the name at the destination (rsync's --relative, implied by --files-from). A moved file's copy has another name
 * there: the names below the moved directory are the same, so its line is {@code SOURCE/NEW/./REST} and its pull
 * goes into {@code DEST/OLD/} ({@code --mkpath}): one pull per source and moved directory.
 * {@code -a} without {@code -r}: a listed directory is made, not descended (its restored paths are listed themselves).
 */
final class Pull {

    static final int PART = 2000;

    private Pull() {}

    /** One pull: lines {@code SOURCE./NAME} into {@code DEST/INTO}. */
    private record Group(String source, String into) {}

    static void fetch(TargetRsync rsync, RestorePlanner.Plan plan, Path to, HistoryStore.Progress progress) throws IOException {
        Files.createDirectories(to);
        Map<Group, List<RestorePlanner.Item>> bySource = new LinkedHashMap<>();
        long files = 0, bytes = 0;
        for (RestorePlanner.Item i : plan.items()) {
            if (i.source() == RestorePlanner.Source.EMPTY_DIR) {
                // nothing to pull: made here (a name that is not UTF-8 cannot be a Java path and is left out)
                if (RawNames.isUtf8(i.path())) Files.createDirectories(to.resolve(RawNames.display(i.path())));
                continue;
            }
            String from = i.source() == RestorePlanner.Source.MIRROR ? "" : Layout.HISTORY + "/" + i.batch() + "/";
            String rest = sameTail(i.path(), i.at());
            String into = i.path().substring(0, i.path().length() - rest.length());
            String at = i.at().substring(0, i.at().length() - rest.length());
            bySource.computeIfAbsent(new Group(from + at, into), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Group, List<RestorePlanner.Item>> source : bySource.entrySet()) {
            List<RestorePlanner.Item> items = source.getValue();
            Group g = source.getKey();
            // a moved file's old directory: its name is UTF-8 (a move whose names are not is sent as new files)
            String dest = to.toAbsolutePath() + "/" + RawNames.display(g.into());
            List<String> args = new ArrayList<>(List.of("-a", "--from0"));
            if (!g.into().isEmpty()) args.add("--mkpath");
            for (int start = 0; start < items.size(); start += PART) {
                List<RestorePlanner.Item> part = items.subList(start, Math.min(items.size(), start + PART));
                Path list = Files.createTempFile("agent-restore-", ".list",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.write(list, pathList(rsync.pullPrefix() + g.source(), g.into().length(), part));
                    List<String> argv = new ArrayList<>(args);
                    argv.addAll(List.of("--files-from=" + list, rsync.pullRoot(), dest));
                    Processes.Result r = rsync.run(argv);
                    if (!r.ok()) throw rsync.failed("restore from " + rsync.root() + g.source(), r);
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

    /**
     * "./" leads a line that has no prefix: rsync drops a files-from line starting with '#' or ';' as a comment.
     * {@code cut}: the length of the path's part the pull's destination already names.
     */
    private static byte[] pathList(String from, int cut, List<RestorePlanner.Item> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] lead = RawNames.bytes(from + "./");
        for (RestorePlanner.Item i : items) {
            out.writeBytes(lead);
            out.writeBytes(RawNames.bytes(i.path().substring(cut)));
            out.write(0);
        }
        return out.toByteArray();
    }

    /**
     * The names two paths end with alike, whole components: all of {@code path} when it is {@code at}; for a moved
     * file the names below the moved directory (at least the file's own).
     */
    static String sameTail(String path, String at) {
        if (path.equals(at)) return path;
        String[] p = path.split("/", -1);
        String[] a = at.split("/", -1);
        int n = 0;
        while (n < p.length && n < a.length && p[p.length - 1 - n].equals(a[a.length - 1 - n])) n++;
        if (n == 0) throw new IllegalArgumentException("a copy named " + at + " cannot be restored as " + path);
        return String.join("/", java.util.Arrays.asList(p).subList(p.length - n, p.length));
    }
}
