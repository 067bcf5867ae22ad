package io.replagent.history;

import io.replagent.state.Retention;
import io.replagent.state.Target;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The history side of one target of a running agent: batch names, the journal of each batch (written before the batch
 * counts), and, on a thread of its own so no push waits for it, the journal's fsync right after, its upload when the
 * target is idle, the retention of a local target and the measure of what is kept (for status).
 */
public final class TargetHistory {

    /** What status shows of a target's history. */
    public record Status(String retention, String prunedBy, long bytes, long versions, String oldest, Instant measuredAt,
                         String error) {}

    private final Target target;
    private final Retention retention;
    private final JournalSpool spool;
    private final TargetRsync rsync;
    private final Retainer retainer;
    private final BiConsumer<String, String> log;
    private final ExecutorService worker;
    private final AtomicBoolean working = new AtomicBoolean();
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    private String lastBatch;
    /** When the oldest journal line not uploaded yet was written (null: nothing pending, as far as known). */
    private volatile Instant pendingSince;
    private volatile Instant nextMeasure;
    private volatile Status status;

    private TargetHistory(Target target, Path stateDir, String watch, Map<String, String> env, BiConsumer<String, String> log)
            throws IOException {
        this.target = target;
        this.retention = target.history().orElseThrow();
        this.spool = JournalSpool.of(stateDir, watch, target.name());
        this.rsync = new TargetRsync(target, env);
        this.retainer = target.endpoint() instanceof Target.Local l ? new Retainer(l.path(), retention) : null;
        this.log = log;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "history-" + watch + "-" + target.name());
            t.setDaemon(true);
            return t;
        });
        this.status = new Status(retention.describe(), prunedBy(), -1, -1, null, null, null);
    }

    /**
     * The history of a target that declares it, empty otherwise.
     *
     * @param log level and message, for the pipeline's log
     */
    public static Optional<TargetHistory> of(Target target, Path stateDir, String watch, Map<String, String> env,
                                             BiConsumer<String, String> log) throws IOException {
        if (target.history().isEmpty()) return Optional.empty();
        return Optional.of(new TargetHistory(target, stateDir, watch, env, log));
    }

    /** The next batch's name (strictly after the previous one). */
    public synchronized String nextBatch(Instant now) {
        lastBatch = Layout.nextBatch(now, lastBatch);
        return lastBatch;
    }

    /**
     * Keeps what one batch's rsyncs did: written when this returns (an agent killed after it loses no line), fsynced
     * on the history's thread (a host crash may lose the last lines: their versions are kept, listed as "kept").
     * False when they could not be written (said in the log).
     */
    public boolean record(List<Journal.Entry> entries, Instant now) {
        try {
            spool.append(entries);
            if (pendingSince == null && !entries.isEmpty()) pendingSince = now;
        } catch (IOException e) {
            log.accept("error", "cannot write the history journal (the versions are kept, their creations may be "
                    + "missing from restores): " + e.getMessage());
            return false;
        }
        if (!syncQueued.compareAndSet(false, true)) return true; // the queued fsync will cover these lines too
        try {
            worker.execute(this::sync);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            sync(); // stopping
        }
        return true;
    }

    private void sync() {
        syncQueued.set(false);
        try {
            spool.sync();
        } catch (IOException e) {
            log.accept("warn", "history: cannot fsync the journal: " + e.getMessage());
        }
    }

    /**
     * Every few seconds: upload the journal when due, then (local target) retention on its schedule, and measure what
     * is kept. Runs on the history's own thread; a call while it is busy does nothing.
     */
    public void housekeeping(Instant now, Instant lastBatchEnd, boolean busy) {
        if (!working.compareAndSet(false, true)) return;
        worker.execute(() -> {
            try {
                long pending = spool.pending();
                if (pending > 0 && pendingSince == null) pendingSince = now; // left by an earlier run
                if (JournalSpool.uploadDue(pending, now, lastBatchEnd, pendingSince, busy)) {
                    spool.upload(rsync);
                    pendingSince = spool.pending() > 0 ? now : null; // a batch recorded while it ran waits for the next
                }
                if (retainer != null) {
                    retainer.runIfDue(now).ifPresent(r -> {
                        if (r.batchesPruned() > 0) log.accept("info", "history: " + r.batchesPruned() + " batches pruned ("
                                + r.bytesFreed() + " bytes)");
                        status = new Status(retention.describe(), prunedBy(), r.bytes(), r.versions(), r.oldest(), r.at(), r.error());
                    });
                } else if (nextMeasure == null || !now.isBefore(nextMeasure)) {
                    nextMeasure = now.plus(Pruner.interval(retention));
                    Listing.History h = HistoryStore.of(target, Map.of()).history();
                    status = new Status(retention.describe(), prunedBy(), h.bytes(), h.versions(),
                            h.batches().isEmpty() ? null : h.batches().firstKey(), now, null);
                }
            } catch (IOException | RuntimeException e) {
                log.accept("warn", "history: " + e.getMessage());
                Status s = status;
                status = new Status(s.retention(), s.prunedBy(), s.bytes(), s.versions(), s.oldest(), s.measuredAt(),
                        String.valueOf(e.getMessage()));
            } finally {
                working.set(false);
            }
        });
    }

    /**
     * The target's listing of directory {@code rawPath} (names relative to it), empty when it cannot be read: then a
     * moved directory's old name is deleted keeping copies, as any delete ({@link MovedAway}).
     */
    public Optional<Map<String, Listing.Node>> listing(String rawPath) {
        if (!(target.endpoint() instanceof Target.Local || target.endpoint() instanceof Target.Daemon)) return Optional.empty();
        try {
            return Optional.ofNullable(rsync.list(io.replagent.tree.RawNames.display(rawPath) + "/"));
        } catch (IOException e) {
            log.accept("debug", "history: cannot list " + io.replagent.tree.RawNames.display(rawPath) + " on the target: " + e.getMessage());
            return Optional.empty();
        }
    }

    public Status status() {
        return status;
    }

    /** Uploads what is pending before the agent stops (best effort: the tail stays in state_dir otherwise). */
    public void stop() {
        worker.shutdown();
        sync();
        try {
            if (spool.pending() > 0) spool.upload(rsync);
        } catch (IOException e) {
            log.accept("warn", "history: the journal's tail stays in state_dir until the next start: " + e.getMessage());
        }
    }

    private String prunedBy() {
        return target.endpoint() instanceof Target.Local ? "this agent" : "the backup host's agent";
    }
}
