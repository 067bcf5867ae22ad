package io.replagent.replicate;

import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.tree.Change;
import io.replagent.tree.RawNames;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
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

    /** What the shell needs around it: how rsync runs, time, logging, the live tail, the queue file. */
    record Parts(RsyncRunner runner, Backoff backoff, Log log, ActivityLog activity, QueueFile queueFile,
                 LongSupplier nanos, Clock clock) {}

    private final String watchName;
    private final Watch watch;
    private final Target target;
    private final Parts parts;
    private final RsyncArgs args;
    private final JobPlanner planner;
    private final BatchPolicy policy;
    private final TargetState state;
    /** The raw roots rsync's error paths may start with: the source, a local target. */
    private final List<String> roots = new ArrayList<>();
    private final JobRunner runner;
    private final Object lock = new Object();
    private volatile boolean stopping;
    /** Only the pipeline's thread (or apply --once's caller) reads and writes it. */
    private boolean firstPush = true;

    TargetPipeline(String watchName, Watch watch, Target target, Parts parts) {
        this.watchName = watchName;
        this.watch = watch;
        this.target = target;
        this.parts = parts;
        this.args = new RsyncArgs("rsync", watch, target);
        this.planner = new JobPlanner(args, watch.maxProcesses(), SourceTree.directories(watch.source()));
        this.policy = new BatchPolicy(watch.delay(), watch.maxDelays());
        this.state = new TargetState(watch, parts.nanos().getAsLong());
        roots.add(RawNames.of(watch.source().toAbsolutePath().normalize()) + "/");
        if (target.endpoint() instanceof Target.Local l) roots.add(RawNames.of(l.path().toAbsolutePath().normalize()) + "/");
        this.runner = new JobRunner(parts.runner(), watch.maxProcesses(), "rsync-" + watchName + "-" + target.name());
    }

    String name() {
        return target.name();
    }

    /** "watch/target", as the control operations name it. */
    String id() {
        return watchName + "/" + target.name();
    }

    /** Puts back what a previous run left: the queue file, or a file of the old naming ({@code legacy}, may be null). */
    void restoreQueue(QueueFile legacy) throws IOException {
        QueueFile from = parts.queueFile() == null ? null
                : java.nio.file.Files.exists(parts.queueFile().path()) || legacy == null ? parts.queueFile() : legacy;
        if (from == null) return;
        DirtyTree.Batch saved = from.load();
        if (saved.isEmpty()) return;
        withLock(() -> state.pending.requeue(saved, now()));
        if (from == legacy) saveQueue(); // under the new name before the old file goes
        log("info", saved.entries().size() + (saved.full() ? " (full sync)" : "") + " queued paths restored from " + from.path());
    }

    void mark(String path, Change change, boolean dir) {
        withLock(() -> state.pending.mark(path, change, dir, state.syncing, now()));
    }

    /** A directory renamed in the tree: the old path goes, the new one is sent on the basis of the old. */
    void moved(String from, String to) {
        withLock(() -> state.moved(from, to, now()));
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

    /** Waits for the running rsyncs up to {@code grace}, then saves what is undelivered. */
    void finish(Duration grace) {
        runner.shutdown(grace.toMillis());
        saveQueue();
    }

    /** Saves the queue when work waits on a target that is not delivering (paused, retrying), so kill -9 loses nothing. */
    void saveIfWaiting() {
        boolean due;
        synchronized (lock) {
            due = state.queueChanged && (state.pauses.paused() || state.retryAtNanos > now());
        }
        if (due) saveQueue();
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
        log(result.error() != null ? "warn" : "info", "audit: " + (result.error() != null ? result.error()
                : result.missing() + " missing, " + result.differs() + " differ, " + result.extra() + " extra on the target"
                + (repaired ? "; queued to be sent again" : "")));
        return state.lastAudit;
    }

    private void execute(JobPlanner.Work work) {
        // the first push of a run, a full sync (which never touches .agent/), goes while .agent/tmp/ is made, without
        // it: preparing first would cost every start one more rsync session (~0.1 s); later ones wait for it
        boolean beside = state.needsPrepare && firstPush && work.batch().full();
        firstPush = false;
        Future<?> preparing = beside ? runner.submit(this::prepare) : null;
        if (state.needsPrepare && !beside) prepare();
        TargetState.Decision d;
        synchronized (lock) {
            d = state.decide(watch, work, SourceTree.files(watch.source()), now());
        }
        if (d.held() != null) {
            awaitQuietly(preparing);
            log("error", d.held() + "; paused until 'retry --allow-deletes'");
            parts.activity().record(watchName, name(), "refused", work.batch().entries().size(), d.held());
            return;
        }
        Watch.DeleteGuard guard = d.guard();
        List<JobPlanner.Job> jobs = new ArrayList<>(planner.plan(work, d.delete(), d.fullMaxDelete(), !beside));
        List<RsyncRunner.Result> results = jobs.isEmpty() ? new ArrayList<>() : runner.runAll(jobs);
        awaitQuietly(preparing);
        Settlement.Settled first = Settlement.settle(jobs, results, guard, roots);
        List<Settlement.Settled> settled = new ArrayList<>(List.of(first));
        if (first.deletePass() >= 0) {
            JobPlanner.Job second = planner.fullDeletes(work, first.deletePass());
            jobs.add(second);
            results.add(runner.run(second.argv(), second.stdin()));
            settled.add(Settlement.settle(List.of(second), List.of(results.get(results.size() - 1)), guard, roots));
        }
        synchronized (lock) {
            state.settle(settled, results, work.initial() && work.batch().full(), parts.backoff(), now(), parts.clock().instant());
        }
        for (int i = 0; i < jobs.size(); i++) parts.activity().record(watchName, name(), jobs.get(i), results.get(i));
        RsyncExit worst = settled.stream().map(Settlement.Settled::worst).max(Enum::compareTo).orElse(RsyncExit.OK);
        synchronized (lock) {
            if (state.pauses.paused() && worst != RsyncExit.OK) log("error", "paused: " + state.pauses.alert());
            else if (worst != RsyncExit.OK) log("warn", "retry " + state.attempt + " in "
                    + (state.retryAtNanos - now()) / 1_000_000 / 1000.0 + " s");
        }
        if (worst != RsyncExit.OK || state.queueOnDisk) saveQueue();
    }

    private static void awaitQuietly(Future<?> task) {
        if (task == null) return;
        try {
            task.get();
        } catch (Exception e) {
            // a prepare that did not run is tried again before the next push (needsPrepare stays)
        }
    }

    /** Makes the target's .agent/tmp/ exist and empty; no other push to this target runs now (batches are serial). */
    private void prepare() {
        RsyncRunner.Result r = runner.run(args.prepare(), null);
        synchronized (lock) {
            state.runs++;
            state.needsPrepare = r.exit() != 0;
        }
        if (r.exit() != 0) log("debug", "cannot prepare .agent/tmp/ on the target: " + r.error());
    }

    private void saveQueue() {
        if (parts.queueFile() == null) return;
        DirtyTree.Batch snapshot;
        synchronized (lock) {
            snapshot = state.queueSnapshot();
        }
        String error = parts.queueFile().saveOrWhy(snapshot);
        synchronized (lock) {
            state.saved(snapshot, error);
        }
        if (error != null) log("error", error);
    }

    ReplicationStatus.TargetStatus status(long nowNanos) {
        synchronized (lock) {
            state.inFlight = runner.inFlight();
            return state.status(name(), target.endpoint().rsyncDestination(), stopping, nowNanos, parts.clock().instant());
        }
    }

    /** Connects and authenticates as a push would, changing nothing: empty when the target answers, else rsync's error. */
    Optional<String> probe() {
        RsyncRunner.Result result = parts.runner().run(args.probe(), null);
        if (result.exit() == 0) return Optional.empty();
        return Optional.of("rsync exit " + result.exit() + (result.error().isEmpty() ? "" : ": " + result.error()));
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
