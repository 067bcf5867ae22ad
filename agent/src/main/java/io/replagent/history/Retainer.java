package io.replagent.history;

import io.replagent.state.Retention;
import io.replagent.state.Target;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applies a retention to the history of a directory on this host, on a schedule ({@link Pruner#interval}): a local
 * target (by the source's agent) or a daemon module's directory (by the backup host's agent). Each run also measures
 * the history for status.
 */
public final class Retainer {

    /**
     * One run: what was pruned, and the history after it.
     *
     * @param oldest the oldest batch kept, null when there is none
     * @param error  why the run failed, null when it did not
     */
    public record Report(Instant at, int batchesPruned, long bytesFreed, long bytes, long versions, String oldest,
                         String error) {}

    private final LocalHistoryStore store;
    private final Retention retention;
    private Instant next;
    private Report last;

    public Retainer(Path root, Retention retention) throws IOException {
        this.store = new LocalHistoryStore(root, new TargetRsync(
                new Target(root.toString(), new Target.Local(root), Optional.empty(), Optional.empty()), Map.of()));
        this.retention = retention;
    }

    public Retention retention() {
        return retention;
    }

    /** The last run's report, empty before the first. */
    public Optional<Report> last() {
        return Optional.ofNullable(last);
    }

    /** Runs when due (the first call always runs); empty when it was not due. */
    public Optional<Report> runIfDue(Instant now) {
        if (next != null && now.isBefore(next)) return Optional.empty();
        next = now.plus(Pruner.interval(retention));
        return Optional.of(run(now));
    }

    Report run(Instant now) {
        try {
            Listing.History history = store.history();
            Map<String, String> segments = new TreeMap<>();
            store.journal().forEach((name, content) -> {
                String newest = Journal.newestBatch(content);
                segments.put(name, newest == null ? name.replaceAll("\\.log$", "") : newest); // empty: as old as its name
            });
            Pruner.Plan plan = retention.prunes() ? Pruner.plan(history, segments, retention, now)
                    : Pruner.plan(history, Map.of(), Retention.FOREVER, now);
            if (!plan.isEmpty()) {
                store.prune(plan);
                history = store.history();
            }
            String oldest = history.batches().isEmpty() ? null : history.batches().firstKey();
            last = new Report(now, plan.batches().size(), plan.bytesFreed(), history.bytes(), history.versions(), oldest, null);
        } catch (IOException | RuntimeException e) {
            last = new Report(now, 0, 0, last == null ? 0 : last.bytes(), last == null ? 0 : last.versions(),
                    last == null ? null : last.oldest(), String.valueOf(e.getMessage()));
        }
        return last;
    }
}
