package io.replagent.replicate;

import io.replagent.history.Itemized;
import io.replagent.history.Journal;
import io.replagent.history.Listing;
import io.replagent.history.MovedAway;
import io.replagent.history.TargetHistory;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.tree.RawNames;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Delivers one batch of a target: the delete guard's decision, the target's .agent/tmp/ made or emptied when needed,
 * the jobs planned and run, a full sync's delete pass, the results settled into the target's state (under its lock),
 * one log line and activity per rsync. Runs on the pipeline's thread, one batch at a time.
 */
final class Delivery {

    private final String watchName;
    private final Watch watch;
    private final Target target;
    private final TargetPipeline.Parts parts;
    private final RsyncArgs args;
    private final JobPlanner planner;
    /** The staging tree of renamed files (null without a state directory: renamed files are sent as new ones). */
    private final RenameStaging staging;
    private final JobRunner runner;
    private final TargetState state;
    private final Object lock;
    private final BiConsumer<String, String> log;
    /** The raw roots rsync's error paths may start with: the source, a local target. */
    private final List<String> roots = new ArrayList<>();
    private boolean firstPush = true;
    private final TargetHistory history;
    private volatile Instant lastBatchEnd;

    Delivery(String watchName, Watch watch, Target target, TargetPipeline.Parts parts, RsyncArgs args, JobRunner runner,
             TargetState state, Object lock, BiConsumer<String, String> log, TargetHistory history) {
        this.history = history;
        this.watchName = watchName;
        this.watch = watch;
        this.target = target;
        this.parts = parts;
        this.args = args;
        this.staging = parts.renames() == null ? null : new RenameStaging(parts.renames(), watch.source());
        this.planner = new JobPlanner(args, watch.maxProcesses(), SourceTree.directories(watch.source()),
                staging == null ? null : staging.root());
        this.runner = runner;
        this.state = state;
        this.lock = lock;
        this.log = log;
        roots.add(RawNames.of(watch.source().toAbsolutePath().normalize()) + "/");
        if (target.endpoint() instanceof Target.Local l) roots.add(RawNames.of(l.path().toAbsolutePath().normalize()) + "/");
    }

    /**
     * An ssh target's shared connection, made before anything is sent; empty when it is up, else ssh's failure as a
     * result that stands for every job of the batch (none runs: a changed host key or a refused key sends nothing).
     */
    static Optional<RsyncRunner.Result> connect(SshConnection ssh) {
        try {
            return ssh.ensure().map(f -> new RsyncRunner.Result(f.exit() == 0 ? SshExit.SSH_FAILED : f.exit(), 0, "", f.error()));
        } catch (IOException e) {
            return Optional.of(RsyncRunner.Result.failed("cannot run ssh: " + e.getMessage()));
        }
    }

    /** Sends {@code work}; returns the most serious outcome. */
    RsyncExit deliver(JobPlanner.Work work) {
        Optional<RsyncRunner.Result> unconnected = parts.ssh() == null ? Optional.empty() : connect(parts.ssh());
        if (unconnected.isPresent()) return unconnected(work, unconnected.get());
        // the first push of a run, a full sync (which never touches .agent/), goes while .agent/tmp/ is made, without
        // it: preparing first would cost every start one more rsync session (~0.1 s); later ones wait for it
        boolean beside = state.needsPrepare && firstPush && work.batch().full();
        firstPush = false;
        Future<?> preparing = beside ? runner.submit(this::prepare) : null;
        if (state.needsPrepare && !beside) prepare();
        TargetState.Decision d;
        synchronized (lock) {
            d = state.decide(watch, work, SourceTree.files(watch.source()), parts.nanos().getAsLong());
        }
        if (d.held() != null) {
            JobRunner.awaitQuietly(preparing);
            log.accept("error", d.held() + "; paused until 'retry --allow-deletes'");
            parts.activity().record(watchName, target.name(), "refused", work.batch().entries().size(), d.held());
            return RsyncExit.DELETES_REFUSED;
        }
        Watch.DeleteGuard guard = d.guard();
        String batch = history == null ? null : history.nextBatch(parts.clock().instant());
        JobPlanner plan = batch == null ? planner : planner.forBatch(batch);
        JobPlanner.Work staged = work.withRenames(staging == null ? List.of() : staging.stage(work.renames()));
        List<JobPlanner.Job> jobs = new ArrayList<>(plan.plan(staged, d.delete(), d.fullMaxDelete(), !beside));
        List<RsyncRunner.Result> results = new ArrayList<>();
        int journaled = 0; // the first jobs whose journal lines are written already
        if (batch != null && staged.renames().isEmpty() && args.movesItemizeTheirLinks()) {
            journaled = movesFirst(jobs, results, plan, batch);
        } else if (!jobs.isEmpty()) {
            results.addAll(runner.runAll(jobs));
        }
        if (!staged.renames().isEmpty()) staging.clear();
        JobRunner.awaitQuietly(preparing);
        Settlement.Settled first = Settlement.settle(jobs, results, guard, roots);
        List<Settlement.Settled> settled = new ArrayList<>(List.of(first));
        if (first.deletePass() >= 0) {
            JobPlanner.Job second = plan.fullDeletes(work, first.deletePass());
            jobs.add(second);
            results.add(runner.run(second.argv(), second.stdin()));
            settled.add(Settlement.settle(List.of(second), List.of(results.get(results.size() - 1)), guard, roots));
        }
        if (batch != null) {
            for (int i = 0, n = jobs.size(); i < n; i++) {
                JobPlanner.Job job = jobs.get(i);
                if (job.kind() != JobPlanner.Kind.MOVE || !Itemized.destinationExisted(results.get(i).output())) continue;
                JobPlanner.Job onto = plan.movedOnto(job.move(), d.delete());
                jobs.add(onto);
                results.add(runner.run(onto.argv(), onto.stdin()));
                settled.add(Settlement.settle(List.of(onto), List.of(results.get(results.size() - 1)), guard, roots));
            }
            List<Journal.Entry> entries = new ArrayList<>();
            for (int i = journaled; i < jobs.size(); i++) {
                JobPlanner.Job job = jobs.get(i);
                if (job.kind().aux()) continue; // into .agent/tmp/ only: nothing of the mirror's history
                entries.addAll(Itemized.entries(batch, job.kind() == JobPlanner.Kind.MOVE ? job.move().to() : "",
                        results.get(i).output()));
            }
            history.record(entries, parts.clock().instant()); // written before the batch counts: kill -9 after this loses no line
        }
        lastBatchEnd = parts.clock().instant();
        synchronized (lock) {
            state.settle(settled, results, work.initial() && work.batch().full(), parts.backoff(), parts.nanos().getAsLong(), parts.clock().instant());
        }
        for (int i = 0; i < jobs.size(); i++) parts.activity().record(watchName, target.name(), jobs.get(i), results.get(i));
        RsyncExit worst = settled.stream().map(Settlement.Settled::worst).max(Enum::compareTo).orElse(RsyncExit.OK);
        if (worst == RsyncExit.OK) parts.activity().delivered(delivered(work, results));
        synchronized (lock) {
            if (state.pauses.paused() && worst != RsyncExit.OK) log.accept("error", "paused: " + state.pauses.alert());
            else if (worst != RsyncExit.OK) log.accept("warn", "retry " + state.attempt + " in "
                    + (state.retryAtNanos - parts.nanos().getAsLong()) / 1_000_000 / 1000.0 + " s");
        }
        return worst;
    }

    /**
     * With history, a batch whose moves' old names it deletes: the moves run first, each old name's listing on the
     * target read beside them; an old name whose every file its move hard-linked is then deleted keeping no copies,
     * after the journal has the moves' lines and a {@code moved} line for each of its files ({@link MovedAway}: 0.35 s
     * of rsync's backups saved per 5,000 files). Fills {@code results} for {@code jobs} as it leaves them (the deletes
     * split); returns how many of the first jobs are journaled already.
     */
    private int movesFirst(List<JobPlanner.Job> jobs, List<RsyncRunner.Result> results, JobPlanner plan, String batch) {
        Set<String> deleted = new HashSet<>();
        for (JobPlanner.Job j : jobs) if (j.kind() == JobPlanner.Kind.DELETES) deleted.addAll(j.listed());
        List<JobPlanner.Job> first = new ArrayList<>();
        List<JobPlanner.Job> rest = new ArrayList<>();
        Map<Integer, Future<Optional<Map<String, Listing.Node>>>> listings = new HashMap<>();
        for (JobPlanner.Job j : jobs) {
            if (j.phase() != 0) {
                rest.add(j);
                continue;
            }
            if (j.kind() == JobPlanner.Kind.MOVE && deleted.contains(j.move().from())) {
                listings.put(first.size(), runner.submit(() -> history.listing(j.move().from())));
            }
            first.add(j);
        }
        if (listings.isEmpty()) {
            if (!jobs.isEmpty()) results.addAll(runner.runAll(jobs));
            return 0;
        }
        List<RsyncRunner.Result> done = runner.runAll(first);
        List<Journal.Entry> entries = new ArrayList<>();
        List<Journal.Entry> movedAway = new ArrayList<>();
        Set<String> uncopied = new HashSet<>();
        boolean failed = false;
        for (int i = 0; i < first.size(); i++) {
            JobPlanner.Job job = first.get(i);
            RsyncRunner.Result r = done.get(i);
            failed |= JobRunner.stops(job, r);
            if (job.kind() != JobPlanner.Kind.MOVE) continue;
            entries.addAll(Itemized.entries(batch, job.move().to(), r.output()));
            Optional<Map<String, Listing.Node>> listing = listings.containsKey(i) ? JobRunner.value(listings.get(i)) : Optional.empty();
            if (r.exit() != 0 || listing.isEmpty() || Itemized.destinationExisted(r.output())) continue;
            MovedAway.entries(batch, job.move().from(), job.move().to(), listing.get(), Itemized.linked(r.output()))
                    .ifPresent(moved -> {
                        movedAway.addAll(moved);
                        uncopied.add(job.move().from());
                    });
        }
        if (failed) uncopied.clear(); // the deletes do not run now: a later batch deletes the old names, keeping copies
        else entries.addAll(movedAway);
        // before the old names go: kill -9 then loses no version; unwritten, they keep their copies as any delete
        boolean recorded = history.record(entries, parts.clock().instant());
        List<JobPlanner.Job> later = recorded ? plan.withoutCopies(rest, uncopied) : rest;
        jobs.clear();
        jobs.addAll(first);
        jobs.addAll(later);
        results.addAll(done);
        results.addAll(runner.runAll(later, failed));
        return recorded ? first.size() : 0;
    }

    /** What the on_batch hooks are told of a batch the target received in full. */
    private Delivered delivered(JobPlanner.Work work, List<RsyncRunner.Result> results) {
        List<String> paths = new ArrayList<>();
        // a directory sent with all it holds (new, moved, or too many changes to name each) ends in '/'
        for (JobPlanner.Move m : work.moves()) paths.add(m.to() + "/");
        for (DirtyTree.Entry e : work.batch().entries()) paths.add(e.recursive() ? e.path() + "/" : e.path());
        long files = 0;
        long bytes = 0;
        double seconds = 0;
        for (RsyncRunner.Result r : results) {
            files += r.files();
            bytes += r.bytes();
            seconds += r.seconds();
        }
        boolean full = work.batch().full();
        return new Delivered(watchName, watch.source().toString(), target.name(), target.endpoint().rsyncDestination(),
                full ? (work.initial() ? "initial" : "full") : "batch", full, full ? List.of() : paths, files, bytes, seconds,
                parts.clock().instant());
    }

    /** When the last batch ended, null before the first. */
    Instant lastBatchEnd() {
        return lastBatchEnd;
    }

    /** A batch whose ssh connection could not be made: settled as if each job had failed so (back to the queue, or paused). */
    private RsyncExit unconnected(JobPlanner.Work work, RsyncRunner.Result failure) {
        TargetState.Decision d;
        synchronized (lock) {
            d = state.decide(watch, work, SourceTree.files(watch.source()), parts.nanos().getAsLong());
        }
        if (d.held() != null) return RsyncExit.DELETES_REFUSED;
        List<JobPlanner.Job> jobs = planner.plan(work, d.delete(), d.fullMaxDelete(), !state.needsPrepare);
        Settlement.Settled settled = Settlement.settle(jobs, jobs.stream().map(j -> failure).toList(), d.guard(), roots);
        synchronized (lock) {
            state.settle(List.of(settled), List.of(failure), false, parts.backoff(), parts.nanos().getAsLong(), parts.clock().instant());
        }
        parts.activity().record(watchName, target.name(), "unconnected", work.batch().entries().size(), failure.error());
        synchronized (lock) {
            if (state.pauses.paused()) log.accept("error", "paused: " + state.pauses.alert());
            else log.accept("warn", "ssh: " + Settlement.lastLine(failure.error()) + "; retry " + state.attempt + " in "
                    + (state.retryAtNanos - parts.nanos().getAsLong()) / 1_000_000 / 1000.0 + " s");
        }
        return settled.worst();
    }

    /** Makes the target's .agent/tmp/ exist and empty; no other push to this target runs now (batches are serial). */
    private void prepare() {
        RsyncRunner.Result r = runner.run(args.reserved().prepare(), null);
        synchronized (lock) {
            state.runs++;
            state.needsPrepare = r.exit() != 0;
        }
        if (r.exit() != 0) log.accept("debug", "cannot prepare .agent/tmp/ on the target: " + r.error());
    }
}
