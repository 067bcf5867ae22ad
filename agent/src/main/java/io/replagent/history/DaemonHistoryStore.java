package io.replagent.history;

import io.replagent.system.Processes;
import io.replagent.system.Trees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The history of a daemon target, read with {@code rsync --list-only} and pulls. */
final class DaemonHistoryStore implements HistoryStore {

    private final TargetRsync rsync;

    DaemonHistoryStore(TargetRsync rsync) {
        this.rsync = rsync;
    }

    @Override public Map<String, Listing.Node> mirror() throws IOException {
        Map<String, Listing.Node> nodes = rsync.list("", "--exclude=/" + Layout.RESERVED + "/");
        if (nodes == null) throw new IOException("the target " + rsync.root() + " does not exist");
        return nodes;
    }

    @Override public Listing.History history() throws IOException {
        Map<String, Listing.Node> nodes = rsync.list(Layout.HISTORY + "/");
        return Listing.history(nodes == null ? Map.of() : nodes);
    }

    @Override public Map<String, byte[]> journal() throws IOException {
        Path tmp = Files.createTempDirectory("agent-journal-");
        try {
            Processes.Result r = rsync.run(List.of("-r", rsync.root() + Layout.JOURNAL + "/", tmp + "/"));
            if (r.exit() == 23 && r.err().contains("No such file or directory")) return Map.of();
            if (!r.ok()) throw rsync.failed("read the journal of " + rsync.root(), r);
            Map<String, byte[]> segments = new TreeMap<>();
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.toList()) if (Files.isRegularFile(f)) segments.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
            return segments;
        } finally {
            Trees.delete(tmp);
        }
    }

    @Override public void fetch(RestorePlanner.Plan plan, Path to, Progress progress) throws IOException {
        Pull.fetch(rsync, plan, to, progress);
    }
}
