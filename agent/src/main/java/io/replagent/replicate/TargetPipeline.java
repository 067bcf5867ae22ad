package io.replagent.replicate;

import io.replagent.history.TargetHistory;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Log;
import io.replagent.tree.Change;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One target of one watch: the thin threaded shell around the pure parts (dirty tree, batch policy, job planner,
 * delete guard, settlement, pause state). Batches of one target run one after another, so an older rsync never
 * overwrites what a newer one sent; the rsyncs of one batch run in parallel on disjoint paths. Everything below is
 * guarded by {@code lock}; rsyncs run outside it.
 */
final class TargetPipeline {

    static final int PER_DIRECTORY = 1000;
    static final int TOTAL = 100_000;

    /**
     * What the shell needs around it: how rsync runs, time, logging, the live tail, the queue file, for an ssh target
     * its shared connection (null for the others), the directory for the staging tree of renamed files (null:
     * renamed files are sent as new ones).
     */
    record Parts(RsyncRunner runner, Backoff backoff, Log log, ActivityLog activity, QueueFile queueFile,
                 LongSupplier nanos, Clock clock, SshConnection ssh, Path renames) {
        Parts(RsyncRunner runner, Backoff backoff, Log log, ActivityLog activity, QueueFile queueFile, LongSupplier nanos,
              Clock clock) {
            this(runner, backoff, log, activity, queueFile, nanos, clock, null, null);
        }
    }

    private final String watchName;
    private final Watch watch;
    private final Target target;
    private final Parts parts;
    private final RsyncArgs args;
    private final BatchPolicy policy;
    private final TargetState state;
    private final JobRunner runner;
    private final Delivery delivery;
    private final Object lock = new Object();
    /** The target's version history, null when it keeps none. */
    private final TargetHistory history;
    private final FullSyncProgress fullSyncProgress;
    private final QueueKeeper queue;
    private volatile boolean stopping;

    TargetPipeline(String watchName, Watch watch, Target target, Parts parts) {
        this(watchName, watch, target, parts, null);
    }

    TargetPipeline(String watchName, Watch watch, Target target, Parts parts, TargetHistory history) {
        this.watchName = watchName;
        this.watch = watch;
        this.target = target;
        this.parts = parts;
        this.args = new RsyncArgs("rsync", watch, target, parts.ssh() == null ? null : parts.ssh().command().rsyncShell());
        this.policy = new BatchPolicy(watch.delay(), watch.maxDelays());
        this.state = new TargetState(watch, parts.nanos().getAsLong());
        this.runner = new JobRunner(parts.runner(), watch.maxProcesses(), "rsync-" + watchName + "-" + target.name());
        this.history = history;
        this.delivery = new Delivery(watchName, watch, target, parts, args, runner, state, lock, this::log, history);
        this.queue = new QueueKeeper(parts.queueFile(), state, lock, parts.nanos(), why -> log("error", why));
        this.fullSyncProgress = new FullSyncProgress("watch " + watchName + " target " + target.name() + ": full sync",
                parts.nanos(), parts.log());
        parts.runner().onProgress(this::progress);
    }

    String name() {
        return target.name();
    }

    Target target() {
        return target;
    }

    QueueFile queueFile() {
        return queue.file();
    }

    /** What a pipeline that replaces this one (a reload retuned the target) takes over once this one has finished. */
    record Handover(DirtyTree.Batch queue, java.util.Map<String, String> failures, PauseState.Reason pause, String alert) {}

    /** After {@link #finish}: the undelivered queue, the failure queue and an operator's pause. */
    Handover handOver() {
        synchronized (lock) {
            PauseState.Reason reason = state.pauses.paused() ? state.pauses.reason() : null;
            return new Handover(state.queueSnapshot(), new java.util.LinkedHashMap<>(state.failures), reason,
                    state.pauses.paused() ? state.pauses.alert() : null);
        }
    }

    /** Takes over what the pipeline this one replaces left (before its thread starts). */
    void takeOver(Handover h) {
        withLock(() -> {
            state.pending.requeue(h.queue(), now());
            h.failures().forEach(state.failures::putIfAbsent);
            if (h.pause() == PauseState.Reason.OPERATOR) state.pauses.pause(h.pause(), h.alert());
        });
    }

    /** "watch/target", as the control operations name it. */
    String id() {
        return watchName + "/" + target.name();
    }

    /** Puts back what a previous run left in {@code from}; {@code resave}: under this target's name (an old file). */
    void restoreQueue(QueueFile from, boolean resave) throws IOException {
        DirtyTree.Batch saved = queue.restore(from);
        if (saved.isEmpty()) return;
        if (resave) queue.save(); // under the new name before the old file goes
        log("info", saved.entries().size() + (saved.full() ? " (full sync)" : "") + " queued paths restored from " + from.path());
    }

    /**
     * Called for every event: the pipeline's thread is woken only when the mark can make the batch due earlier (the
     * first change of a batch starts its delay; a full tree or max_delays changes make it due now), not per event.
     */
    void mark(String path, Change change, boolean dir) {
        synchronized (lock) {
            boolean wasEmpty = state.pending.isEmpty();
            state.pending.mark(path, change, dir, state.syncing, now());
            state.queueChanged = true;
            if (wasEmpty || state.pending.isFull() || state.pending.changes() >= watch.maxDelays()) lock.notifyAll();
        }
    }

    /** A directory renamed in the tree: the old path goes, the new one is sent on the basis of the old. */
    void moved(String from, String to) {
        withLock(() -> state.moved(from, to, now()));
    }

    /** A file renamed in the tree: the old name goes, the new one is sent on the basis of the target's copy of the old. */
    void movedFile(String from, String to) {
        withLock(() -> state.movedFile(from, to, now()));
    }

    /** A full sync as soon as possible; the initial one uses the delete mode's startup rule. */
    void fullSync(boolean initialSync) {
        withLock(() -> state.fullSync(initialSync, now()));
    }

    void pause(PauseState.Reason reason, String why) {
        withLock(() -> state.pauses.pause(reason, why));
    }

    /** Ends an operator's or an error's pause (a held mass delete needs {@link #retryNow} with allowDeletes). */
    void resume() {
        withLock(state.pauses::resume);
    }

    /** Ends a backoff wait or an error's pause now; {@code allowDeletes} confirms a held mass delete. */
    void retryNow(boolean allowDeletes) {
        withLock(() -> state.retry(allowDeletes));
    }

    /** The watch's root is gone: nothing is pushed until it is back. */
    void sourceLost(String why) {
        pause(PauseState.Reason.SOURCE_LOST, "source lost: " + why);
        log("error", "paused: source lost: " + why);
    }

    /** The watch's root is back: the pause ends and a guarded full sync brings the target level. */
    void sourceBack() {
        withLock(() -> {
            state.pauses.sourceBack();
            state.guardNextFullSync = true;
            state.fullSync(false, now());
        });
    }

    /** The pipeline's thread body: waits for due work, sends it, until {@link #stop()}. */
    void run() {
        while (true) {
            JobPlanner.Work work;
            boolean audit;
            synchronized (lock) {
                try {
                    while (!stopping) {
                        long wait = state.untilDue(policy, now());
                        if (wait == 0) break;
                        if (wait < 0) lock.wait();
                        else lock.wait(Math.max(1, wait / 1_000_000), 0);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (stopping) return;
                audit = state.auditDue(now());
                work = audit ? null : state.take();
            }
            if (audit) audit(true);
            else execute(work);
        }
    }

    /** Sends everything pending now, on the caller's thread (apply --once); true when all of it was delivered. */
    boolean syncNow() {
        JobPlanner.Work work;
        synchronized (lock) {
            work = state.take();
        }
        execute(work);
        synchronized (lock) {
            return state.delivered();
        }
    }

    void stop() {
        stopping = true;
        withLock(() -> { });
    }

    /** Waits for the running rsyncs up to {@code grace}, then saves what is undelivered (and uploads the journal), and
     * ends the ssh connection. */
    void finish(Duration grace) {
        runner.shutdown(grace.toMillis());
        queue.save();
        if (history != null) history.stop();
        closeConnection();
    }

    /** The history's background work (journal upload when idle, a local target's retention), every few seconds. */
    void historyHousekeeping() {
        if (history == null) return;
        boolean busy;
        synchronized (lock) {
            busy = state.syncing || !state.delivered();
        }
        history.housekeeping(parts.clock().instant(), delivery.lastBatchEnd(), busy);
    }

    /** Ends an ssh target's shared connection (another target sharing it opens it again when it needs it). */
    void closeConnection() {
        if (parts.ssh() == null) return;
        try {
            parts.ssh().close();
        } catch (IOException e) {
            log("debug", "ssh -O exit: " + e.getMessage());
        }
    }

    /** Saves the queue when work waits on a target that is not delivering (paused, retrying), so kill -9 loses nothing. */
    void saveIfWaiting() {
        queue.saveIfWaiting();
    }

    /** Compares source and target by checksum; {@code repair}: what differs is queued to be sent again. */
    Audit.Result audit(boolean repair) {
        Audit.Result result = Audit.run(parts.runner(), args, parts.clock().instant());
        boolean repaired = repair && result.error() == null && result.total() > 0;
        synchronized (lock) {
            state.runs++;
            if (repaired) state.repair(result, now());
            state.lastAudit = result.repaired(repaired);
            lock.notifyAll();
        }
        log(result.error() != null ? "warn" : "info", "audit: " + state.lastAudit.summary());
        return state.lastAudit;
    }

    private void execute(JobPlanner.Work work) {
        queue.afterBatch(delivery.deliver(work));
    }

    ReplicationStatus.TargetStatus status(long nowNanos) {
        synchronized (lock) {
            state.inFlight = runner.inFlight();
            return state.status(name(), target.endpoint().rsyncDestination(), stopping, nowNanos, parts.clock().instant(),
                    history == null ? null : history.status()).with(SshConnection.transport(target.endpoint(), parts.ssh()));
        }
    }

    /** Connects and authenticates as a push would, changing nothing: empty when the target answers, else rsync's error. */
    Optional<String> probe() {
        if (parts.ssh() != null) {
            Optional<String> down = Delivery.connect(parts.ssh()).map(r -> "ssh exit " + r.exit() + ": " + r.error());
            if (down.isPresent()) return down;
        }
        RsyncRunner.Result result = parts.runner().run(args.probe(), null);
        if (result.exit() == 0) return Optional.empty();
        return Optional.of("rsync exit " + result.exit() + (result.error().isEmpty() ? "" : ": " + result.error()));
    }

    /** A full sync's figures (null: it ended): into the status, and to the operator. */
    private void progress(RsyncProgress p) {
        state.progress = p;
        fullSyncProgress.update(p);
    }

    /** apply --once on a terminal: the figures as a live line there instead of log lines. */
    void showProgressOn(java.io.PrintStream screen) {
        fullSyncProgress.showOn(screen);
    }

    private long now() {
        return parts.nanos().getAsLong();
    }

    /** Runs a change of the state under the lock and wakes the pipeline's thread. */
    private void withLock(Runnable change) {
        synchronized (lock) {
            change.run();
            state.queueChanged = true;
            lock.notifyAll();
        }
    }

    private void log(String level, String message) {
        parts.log().at(level, "watch " + watchName + " target " + name() + ": " + message);
    }
}
