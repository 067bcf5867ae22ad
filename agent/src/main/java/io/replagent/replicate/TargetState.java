package io.replagent.replicate;

import io.replagent.state.Watch;
import io.replagent.tree.Change;
import io.replagent.history.TargetHistory;
import io.replagent.tree.RawNames;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one target's pipeline knows between rsyncs: pending marks and moves, the failure queue, pause and retry, the
 * counters. Pure (time is passed in, no threads); its owner holds the lock.
 */
final class TargetState {

    private static final int SHOWN_FAILURES = 100;

    final DirtyTree pending = new DirtyTree(TargetPipeline.PER_DIRECTORY, TargetPipeline.TOTAL);
    final List<JobPlanner.Move> moves = new ArrayList<>();
    final Renames renames = new Renames();
    /** The renames of the batch being sent: back to {@link #renames} when their new names are not delivered. */
    private List<Renames.Rename> sendingRenames = List.of();
    final Map<String, String> failures = new LinkedHashMap<>();
    final PauseState pauses = new PauseState();
    private final Schedule fullSyncs;
    private final Schedule audits;
    boolean initial;
    boolean syncing;
    boolean deletesConfirmed;
    /** The next full sync is guarded even when max_delete is off (the source came back). */
    boolean guardNextFullSync;
    /** The target's .agent/tmp/ must be made (start) or emptied (after a failed rsync) before the next push. */
    boolean needsPrepare = true;
    /** An alert that does not pause (a full target), and why the queue cannot be saved. */
    String attention;
    String queueError;
    int attempt;
    long retryAtNanos;
    long retries;
    int inFlight;
    Instant lastSuccess;
    Audit.Result lastAudit;
    /** A full sync's figures while it runs, else null (set from the rsync's output thread). */
    volatile RsyncProgress progress;
    long runs;
    long bytes;
    long files;
    long batches;
    /** Marks changed since the last save; the last save left a non-empty file. */
    boolean queueChanged;
    boolean queueOnDisk;

    TargetState(Watch watch, long nowNanos) {
        this.fullSyncs = new Schedule(watch.fullSyncInterval(), nowNanos);
        this.audits = new Schedule(watch.auditInterval(), nowNanos);
    }

    /** Nanoseconds until something is due (0 now, -1 nothing); a periodic full sync that is due is marked here. */
    long untilDue(BatchPolicy policy, long now) {
        if (fullSyncs.due(now)) fullSync(false, now);
        boolean empty = pending.isEmpty() && moves.isEmpty();
        long batch = policy.untilDue(now, new BatchPolicy.Pending(empty, pending.isFull(), pending.changes(),
                pending.firstNanos()), pauses.paused(), retryAtNanos);
        // an audit waits for a quiet target: never before a backoff ends, never while paused
        long periodic = BatchPolicy.earliest(fullSyncs.until(now), pauses.paused() || !empty ? -1 : audits.until(now));
        return BatchPolicy.earliest(batch, periodic);
    }

    /** True (once) when a periodic audit is due and nothing else is. */
    boolean auditDue(long now) {
        return !pauses.paused() && pending.isEmpty() && moves.isEmpty() && audits.due(now);
    }

    JobPlanner.Work take() {
        DirtyTree.Batch batch = pending.take();
        sendingRenames = batch.full() ? List.of() : renames.take();
        renames.clear();
        JobPlanner.Work work = new JobPlanner.Work(batch, List.copyOf(moves), sendingRenames, initial);
        moves.clear();
        syncing = true;
        return work;
    }

    /**
     * A file renamed in the tree: its old name goes (a delete the guard does not count), its new name is sent (as
     * changed: it may have replaced a file the target has), on the basis of the target's copy of the old name when
     * that copy is known to be current.
     */
    void movedFile(String from, String to, long now) {
        String onTarget = current(from) ? throughMoves(from) : null;
        pending.renamedAway(from, false, syncing, now);
        pending.mark(to, Change.MODIFIED, false, syncing, now);
        if (pending.isFull()) renames.clear();
        else renames.renamed(from, to, onTarget);
    }

    /** Nothing is pending for the path itself (a directory collapsed above it may have changed it, or not: worth a try). */
    private boolean current(String path) {
        DirtyTree.Entry e = pending.pendingFor(path);
        return e == null || (!e.path().equals(path) && e.state() == DirtyTree.State.CHANGED);
    }

    /** Where the target has a path while the directory moves above it are not sent yet. */
    private String throughMoves(String path) {
        for (JobPlanner.Move m : moves) {
            if (path.startsWith(m.to() + "/")) return m.from() + path.substring(m.to().length());
        }
        return path;
    }

    void moved(String from, String to, long now) {
        pending.renamedAway(from, true, syncing, now);
        if (pending.isFull()) {
            renames.clear();
            return;
        }
        renames.movedDirectory(from, to);
        for (int i = 0; i < moves.size(); i++) {
            if (moves.get(i).to().equals(from)) { // A→B then B→C: one move A→C
                moves.set(i, new JobPlanner.Move(moves.get(i).from(), to));
                return;
            }
        }
        moves.add(new JobPlanner.Move(from, to));
    }

    void fullSync(boolean initialSync, long now) {
        pending.markAll(now);
        moves.clear();
        renames.clear();
        if (initialSync) initial = true;
    }

    void retry(boolean allowDeletes) {
        pauses.retry(allowDeletes);
        if (allowDeletes) deletesConfirmed = true;
        retryAtNanos = 0;
    }

    /**
     * How a batch goes: whether deletes are propagated, the guard in force (at least the default one right after the
     * source came back), a full sync's --max-delete, and why the guard holds it (null: it goes).
     */
    record Decision(boolean delete, Watch.DeleteGuard guard, long fullMaxDelete, String held) {}

    /** Decides how {@code work} goes; a batch the guard holds is put back and the target paused. */
    Decision decide(Watch watch, JobPlanner.Work work, DeleteGuard.FileCount files, long now) {
        boolean delete = work.batch().full() && work.initial() ? watch.delete().atStartup() : watch.delete().whileRunning();
        Watch.DeleteGuard guard = guardNextFullSync && !watch.maxDelete().enabled() ? Watch.DeleteGuard.DEFAULT : watch.maxDelete();
        String held = delete && !work.batch().full() ? DeleteGuard.batch(guard, work.batch().deletes(), deletesConfirmed, files) : null;
        if (held != null) hold(work, held, now);
        return new Decision(delete, guard, DeleteGuard.firstPass(guard, deletesConfirmed), held);
    }

    /** A batch the delete guard refused: back in the queue, the target paused. */
    void hold(JobPlanner.Work work, String why, long now) {
        pending.requeue(work.batch(), now);
        moves.addAll(0, work.moves());
        renames.requeue(work.renames());
        sendingRenames = List.of();
        syncing = false;
        pauses.pause(PauseState.Reason.MASS_DELETE, why);
    }

    /** The audit's differences, marked to be sent again (extra paths as deleted: the delete mode decides). */
    void repair(Audit.Result audit, long now) {
        for (Audit.Difference d : audit.differences()) {
            Change change = d.kind() == Audit.Kind.EXTRA ? Change.DELETED : d.kind() == Audit.Kind.MISSING ? Change.CREATED
                    : Change.MODIFIED;
            pending.mark(d.path(), change, d.dir(), syncing, now);
        }
    }

    /** Books a batch's settled results (one or two: a full sync's delete pass). */
    void settle(List<Settlement.Settled> settled, List<RsyncRunner.Result> results, boolean initialSync, Backoff backoff,
                long now, Instant at) {
        batches++;
        for (RsyncRunner.Result r : results) {
            runs++;
            bytes += r.bytes();
            files += r.files();
        }
        RsyncExit worst = RsyncExit.OK;
        for (Settlement.Settled s : settled) {
            for (String p : s.delivered()) {
                if (p.isEmpty()) failures.clear();
                else failures.remove(p);
            }
            failures.putAll(s.failed());
            for (DirtyTree.Batch b : s.requeue()) pending.requeue(b, now);
            renames.requeue(undelivered(sendingRenames, s.requeue()));
            moves.addAll(0, s.moves());
            if (s.attention() != null) attention = s.attention();
            if (s.pause() != null) pauses.pause(s.pause(), s.pauseAlert());
            if (s.worst().ordinal() > worst.ordinal()) worst = s.worst();
        }
        sendingRenames = List.of();
        if (!failures.isEmpty() || !pending.isEmpty()) queueChanged = true;
        if (worst == RsyncExit.OK) {
            attempt = 0;
            retryAtNanos = 0;
            lastSuccess = at;
            deletesConfirmed = false;
            guardNextFullSync = false;
            attention = null; // a full target that has room again
            if (initialSync) initial = false;
        } else {
            // a receiver killed mid-file leaves its temp file behind; a refused connection wrote nothing, and
            // preparing again would take the connection a daemon at its limit has just freed (a livelock at max 1)
            if (results.stream().anyMatch(r -> r.exit() != 0 && r.exit() != 24 && !RsyncExit.refused(r.rawError()))) needsPrepare = true;
            if (!worst.pauses()) {
                attempt++;
                retries++;
                retryAtNanos = now + backoff.delay(attempt).toNanos();
            }
        }
        syncing = false;
    }

    /** The renames whose new names go back to the queue (listed, or below a directory that goes back). */
    private static List<Renames.Rename> undelivered(List<Renames.Rename> renames, List<DirtyTree.Batch> requeued) {
        if (renames.isEmpty() || requeued.isEmpty()) return List.of();
        Set<String> back = new HashSet<>();
        for (DirtyTree.Batch b : requeued) {
            if (b.full()) return List.of(); // a full sync sends everything: no pair is needed
            for (DirtyTree.Entry e : b.entries()) if (e.state() != DirtyTree.State.DELETED) back.add(e.path());
        }
        List<Renames.Rename> out = new ArrayList<>();
        for (Renames.Rename r : renames) {
            for (String p = r.to(); !p.isEmpty(); p = RawNames.parent(p)) {
                if (back.contains(p)) {
                    out.add(r);
                    break;
                }
            }
        }
        return out;
    }

    /** The queue as it would be saved: pending marks, and moves as new directories (their basis may be gone). */
    DirtyTree.Batch queueSnapshot() {
        DirtyTree copy = new DirtyTree(TargetPipeline.PER_DIRECTORY, TargetPipeline.TOTAL);
        copy.requeue(pending.snapshot(), 0);
        for (JobPlanner.Move m : moves) copy.mark(m.to(), Change.CREATED, true, false, 0);
        return copy.take();
    }

    void saved(DirtyTree.Batch snapshot, String error) {
        queueError = error;
        if (error == null) {
            queueChanged = false;
            queueOnDisk = !snapshot.isEmpty();
        }
    }

    /** Everything delivered and nothing paused. */
    boolean delivered() {
        return pending.isEmpty() && moves.isEmpty() && !pauses.paused();
    }

    /** The target's status; its transport is the pipeline's to say ({@link ReplicationStatus.TargetStatus#with}). */
    ReplicationStatus.TargetStatus status(String name, String destination, boolean stopping, long nowNanos, Instant at) {
        return status(name, destination, stopping, nowNanos, at, null);
    }

    ReplicationStatus.TargetStatus status(String name, String destination, boolean stopping, long nowNanos, Instant at,
                                          TargetHistory.Status history) {
        boolean empty = pending.isEmpty() && moves.isEmpty();
        String state = stopping ? "stopped" : pauses.paused() ? "paused" : syncing ? "syncing"
                : retryAtNanos > nowNanos ? "retrying" : empty ? "idle" : "pending";
        List<ReplicationStatus.Failure> shown = new ArrayList<>();
        for (Map.Entry<String, String> f : failures.entrySet()) {
            if (shown.size() == SHOWN_FAILURES) break;
            shown.add(new ReplicationStatus.Failure(f.getKey().isEmpty() ? "(full sync)" : RawNames.display(f.getKey()),
                    f.getValue()));
        }
        double oldest = empty ? 0 : (nowNanos - pending.firstNanos()) / 1e9;
        Instant nextRetry = retryAtNanos > nowNanos ? at.plusNanos(retryAtNanos - nowNanos) : null;
        String alert = pauses.paused() ? pauses.alert() : attention != null ? attention : queueError;
        PauseState.Reason reason = pauses.reason();
        return new ReplicationStatus.TargetStatus(name, destination, state, reason == null ? null : reason.key(), alert,
                pending.size() + moves.size(), Math.max(0, oldest), inFlight, lastSuccess, attempt, retries, nextRetry,
                shown, failures.size(), bytes, files, runs, batches, lastAudit == null ? null : audit(lastAudit), history, progress,
                null);
    }

    private static ReplicationStatus.AuditStatus audit(Audit.Result a) {
        return new ReplicationStatus.AuditStatus(a.at(), a.error() == null ? a.total() == 0 ? "clean" : "differences"
                : "error", a.missing(), a.differs(), a.extra(), a.shown(), a.repaired(), a.error());
    }
}
