package io.replagent.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A restore from a target: read its history, mirror and journal (with the source host's tail when there is one),
 * plan what TIME's tree is, pull it into a directory. What the commands and the console call.
 */
public final class Restore {

    /** What a restore did. */
    public record Summary(Path to, long files, long bytes, Duration took, List<RestorePlanner.Unavailable> unavailable,
                          int journalLinesSkipped) {}

    private Restore() {}

    /** The default destination: a new directory beside the source, named by the source and the time restored. */
    public static Path besideSource(Path source, Instant asOf, Instant now) {
        String when = Layout.batch(asOf == null ? now : asOf).replace(':', '-');
        Path candidate = source.resolveSibling(source.getFileName() + ".restored-" + when);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = source.resolveSibling(source.getFileName() + ".restored-" + when + "-" + n);
        }
        return candidate;
    }

    /**
     * @param localJournal the journal segments the source host still holds (empty on another host)
     * @param asOf         null: the newest state
     * @param selection    raw paths relative to the source root; empty: everything
     */
    public static Summary run(HistoryStore store, Map<String, byte[]> localJournal, Instant asOf, List<String> selection,
                              Path to, HistoryStore.Progress progress) throws IOException {
        long start = System.nanoTime();
        Journal.Read journal = Journal.read(store.journal(), localJournal);
        RestorePlanner.Plan plan = RestorePlanner.plan(store.mirror(), store.history(), journal.entries(), asOf, selection);
        store.fetch(plan, to, progress);
        return new Summary(to, plan.files(), plan.bytes(), Duration.ofNanos(System.nanoTime() - start), plan.unavailable(),
                journal.skipped());
    }
}
