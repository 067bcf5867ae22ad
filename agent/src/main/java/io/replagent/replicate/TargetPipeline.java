package io.replagent.replicate;

import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.tree.RawNames;
import io.replagent.tree.Change;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One target of one watch: its own dirty paths, its own batches, its own rsyncs (up to max_processes at once),
 * retries and pause. A target that fails only holds up itself. Batches of one target run one after another, so an
 * older rsync never overwrites what a newer one sent; the rsyncs of one batch run in parallel on disjoint paths.
 */
final class TargetPipeline {

    static final int PER_DIRECTORY = 1000;
    static final int TOTAL = 100_000;
    static final int MAX_PATHS_PER_RSYNC = 5000;
    static final int MIN_PATHS_PER_RSYNC = 200;
    private static final int SHOWN_FAILURES = 100;
    private static final String MASS_DELETE = "mass delete refused: ";

    /** A directory renamed inside the tree, sent with the target's copy of its old path as the basis. */
    record Move(String from, String to) {}

    /** What one batch sends. */
    private record Work(DirtyTree.Batch batch, List<Move> moves, boolean initial) {}

    /** One rsync of a batch and what it was to deliver. */
    private record Unit(String kind, List<String> argv, byte[] stdin, DirtyTree.Batch delivers, Move move) {}

    private final String watchName;
    private final Watch watch;
    private final Target target;
    private final RsyncArgs args;
    private final RsyncRunner runner;
    private final Backoff backoff;
    private final Log log;
    private final Consumer<ReplicationStatus.Activity> activity;
    private final QueueFile queueFile;
    private final ExecutorService pool;

    private final Object lock = new Object();
    private final DirtyTree pending = new DirtyTree(PER_DIRECTORY, TOTAL);
    private final List<Move> moves = new ArrayList<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private boolean initial;
    private boolean paused;
    /** The pause came from a permanent rsync error: an operator's retry (after fixing the cause) ends it. */
    private boolean pausedByError;
    private String alert;
    private boolean deletesConfirmed;
    private int attempt;
    private long retryAtNanos;
    private long retries;
    private int inFlight;
    private boolean syncing;
    private Instant lastSuccess;
    private long nextFullSyncNanos;
    private volatile boolean stopping;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private long batches;

    TargetPipeline(String watchName, Watch watch, Target target, RsyncRunner runner, Backoff backoff, Log log,
                   Consumer<ReplicationStatus.Activity> activity, QueueFile queueFile) {
        this.watchName = watchName;
        this.watch = watch;
        this.target = target;
        this.args = new RsyncArgs("rsync", watch, target);
        this.runner = runner;
        this.backoff = backoff;
        this.log = log;
        this.activity = activity;
        this.queueFile = queueFile;
        this.pool = Executors.newFixedThreadPool(Math.max(1, watch.maxProcesses()), r -> {
            Thread t = new Thread(r, "rsync-" + watchName + "-" + target.name());
            t.setDaemon(true);
            return t;
        });
        if (!watch.fullSyncInterval().isZero()) nextFullSyncNanos = System.nanoTime() + watch.fullSyncInterval().toNanos();
    }

    String name() {
        return target.name();
    }

    /** Puts back what a previous run left in the queue file. */
    void restoreQueue() throws IOException {
        if (queueFile == null) return;
        DirtyTree.Batch saved = queueFile.load();
        if (saved.isEmpty()) return;
        synchronized (lock) {
            pending.requeue(saved, System.nanoTime());
            lock.notifyAll();
        }
        log.info("watch " + watchName + " target " + name() + ": " + saved.entries().size()
                + (saved.full() ? " (full sync)" : "") + " queued paths restored from " + queueFile.path());
    }

    void mark(String path, Change change, boolean dir) {
        synchronized (lock) {
            pending.mark(path, change, dir, syncing, System.nanoTime());
            lock.notifyAll();
        }
    }

    /** A directory renamed in the tree: the old path goes, the new one is sent on the basis of the old. */
    void moved(String from, String to) {
        synchronized (lock) {
            long now = System.nanoTime();
            pending.mark(from, Change.DELETED, true, syncing, now);
            if (pending.isFull()) return;
            for (int i = 0; i < moves.size(); i++) {
                Move m = moves.get(i);
                if (m.to().equals(from)) { // A→B then B→C: one move A→C
                    moves.set(i, new Move(m.from(), to));
                    lock.notifyAll();
                    return;
                }
            }
            moves.add(new Move(from, to));
            lock.notifyAll();
        }
    }

    /** A full sync as soon as possible; the initial one uses the delete mode's startup rule. */
    void fullSync(boolean initialSync) {
        synchronized (lock) {
            pending.markAll(System.nanoTime());
            moves.clear();
            if (initialSync) initial = true;
            lock.notifyAll();
        }
    }

    void pause(String why) {
        synchronized (lock) {
            paused = true;
            pausedByError = false;
            alert = why;
        }
    }

    /** Resumes a paused target (a refused mass delete is refused again: {@link #retryNow} with allowDeletes confirms). */
    void resume() {
        synchronized (lock) {
            paused = false;
            pausedByError = false;
            alert = null;
            lock.notifyAll();
        }
    }

    /**
     * Ends a backoff wait, or a pause caused by a permanent rsync error, now; with {@code allowDeletes}, a refused mass
     * delete goes ahead (and the pause ends). An operator's pause stays.
     */
    void retryNow(boolean allowDeletes) {
        synchronized (lock) {
            if (pausedByError) {
                paused = false;
                pausedByError = false;
                alert = null;
            }
            if (allowDeletes && paused && alert != null && alert.startsWith(MASS_DELETE)) {
                deletesConfirmed = true;
                paused = false;
                alert = null;
            }
            retryAtNanos = 0;
            lock.notifyAll();
        }
    }

    /** The pipeline's thread body: waits for due work, sends it, until {@link #stop()}. */
    void run() {
        while (true) {
            Work work;
            synchronized (lock) {
                try {
                    while (!stopping) {
                        long wait = nanosUntilDue(System.nanoTime());
                        if (wait == 0) break;
                        if (wait < 0) lock.wait();
                        else lock.wait(Math.max(1, wait / 1_000_000), 0);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (stopping) return;
                work = take();
            }
            log.debug("watch " + watchName + " target " + name() + ": batch of " + (work.batch().full() ? "the whole tree"
                    : work.batch().entries().size() + " paths") + ", " + work.moves().size() + " moves");
            execute(work);
        }
    }

    /** Sends everything pending now, on the caller's thread (apply --once); true when all of it was delivered. */
    boolean syncNow() {
        Work work;
        synchronized (lock) {
            work = take();
        }
        execute(work);
        synchronized (lock) {
            return pending.isEmpty() && moves.isEmpty() && !paused;
        }
    }

    void stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
    }

    /** Waits for the running rsyncs up to {@code grace}, then saves what is undelivered. */
    void finish(Duration grace) {
        pool.shutdown();
        try {
            pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        saveQueue();
    }

    private long nanosUntilDue(long now) {
        if (nextFullSyncNanos != 0 && now >= nextFullSyncNanos) {
            pending.markAll(now);
            moves.clear();
            nextFullSyncNanos = now + watch.fullSyncInterval().toNanos();
        }
        long untilFullSync = nextFullSyncNanos == 0 ? -1 : nextFullSyncNanos - now;
        if (paused || (pending.isEmpty() && moves.isEmpty())) return untilFullSync;
        if (now < retryAtNanos) return retryAtNanos - now;
        if (pending.isFull() || pending.changes() >= Math.max(1, watch.maxDelays())) return 0;
        long due = pending.firstNanos() + watch.delay().toNanos() - now;
        return Math.max(0, due);
    }

    private Work take() {
        Work work = new Work(pending.take(), List.copyOf(moves), initial);
        moves.clear();
        syncing = true;
        return work;
    }

    private void execute(Work work) {
        Watch.DeleteMode mode = watch.delete();
        boolean initialSync = work.batch().full() && work.initial();
        boolean delete = initialSync ? mode.atStartup() : mode.whileRunning();
        String refused = delete && !work.batch().full() ? massDelete(work.batch()) : null;
        if (refused != null) {
            synchronized (lock) {
                pending.requeue(work.batch(), System.nanoTime());
                moves.addAll(0, work.moves());
                syncing = false;
                paused = true;
                alert = refused;
            }
            log.error("watch " + watchName + " target " + name() + ": " + refused + "; paused until a retry allows deletes");
            record("refused", work.batch().entries().size(), null, refused);
            return;
        }
        List<Unit> units = units(work, delete, initialSync);
        List<Future<RsyncRunner.Result>> running = new ArrayList<>();
        List<RsyncRunner.Result> results = new ArrayList<>();
        // moves first: a moved directory's old path must still be on the target while the new one is sent
        for (Unit unit : units) {
            if (unit.move() != null) results.add(runCounted(unit));
        }
        for (Unit unit : units) {
            if (unit.move() == null) running.add(pool.submit(() -> runCounted(unit)));
        }
        for (Future<RsyncRunner.Result> f : running) {
            try {
                results.add(f.get());
            } catch (InterruptedException | ExecutionException e) {
                results.add(new RsyncRunner.Result(-1, 0, 0, 0, String.valueOf(e)));
            } catch (CancellationException e) {
                results.add(new RsyncRunner.Result(-1, 0, 0, 0, "cancelled at shutdown"));
            }
        }
        settle(work, units, results, initialSync);
    }

    private RsyncRunner.Result runCounted(Unit unit) {
        synchronized (lock) {
            inFlight++;
        }
        try {
            return runner.run(unit.argv(), unit.stdin());
        } finally {
            synchronized (lock) {
                inFlight--;
            }
        }
    }

    private List<Unit> units(Work work, boolean delete, boolean initialSync) {
        List<Unit> units = new ArrayList<>();
        if (work.batch().full()) {
            units.add(new Unit(initialSync ? "initial" : "full", args.full(delete, fullSyncDeleteLimit()), null,
                    work.batch(), null));
            return units;
        }
        List<DirtyTree.Entry> plain = new ArrayList<>();
        for (Move m : work.moves()) {
            List<String> argv = args.moved(m.from(), m.to(), delete);
            Path newDir = watch.source().resolve(RawNames.display(m.to()));
            if (argv == null) { // a name argv cannot carry: sent as a new directory instead
                plain.add(new DirtyTree.Entry(m.to(), DirtyTree.State.CREATED, true));
            } else if (Files.isDirectory(newDir)) {
                units.add(new Unit("move", argv, null, new DirtyTree.Batch(false, List.of(
                        new DirtyTree.Entry(m.to(), DirtyTree.State.CREATED, true)), 0), m));
            }
        }
        for (DirtyTree.Entry e : work.batch().entries()) {
            if (delete || e.state() != DirtyTree.State.DELETED) plain.add(e);
        }
        plain.sort(Comparator.comparing(DirtyTree.Entry::path));
        for (List<DirtyTree.Entry> chunk : Chunks.split(plain, MAX_PATHS_PER_RSYNC, watch.maxProcesses(), MIN_PATHS_PER_RSYNC)) {
            List<String> paths = chunk.stream().map(DirtyTree.Entry::path).toList();
            units.add(new Unit("batch", args.list(delete), RsyncArgs.pathList(paths),
                    new DirtyTree.Batch(false, List.copyOf(chunk), 0), null));
        }
        return units;
    }

    /** Books the results: counters, the failure queue, retry or pause; then one log line per rsync. */
    private void settle(Work work, List<Unit> units, List<RsyncRunner.Result> results, boolean initialSync) {
        RsyncExit worst = RsyncExit.OK;
        List<Unit> ordered = new ArrayList<>();
        for (Unit u : units) if (u.move() != null) ordered.add(u);
        for (Unit u : units) if (u.move() == null) ordered.add(u);
        synchronized (lock) {
            long now = System.nanoTime();
            batches++;
            for (int i = 0; i < ordered.size(); i++) {
                Unit unit = ordered.get(i);
                RsyncRunner.Result r = results.get(i);
                runs.incrementAndGet();
                bytes.addAndGet(r.bytes());
                files.addAndGet(r.files());
                RsyncExit outcome = RsyncExit.classify(r.exit(), r.error());
                if (outcome.ordinal() > worst.ordinal()) worst = outcome;
                if (outcome == RsyncExit.OK) {
                    for (DirtyTree.Entry e : unit.delivers().entries()) failures.remove(e.path());
                    if (unit.delivers().full()) failures.clear();
                } else {
                    if (unit.move() != null) moves.add(0, unit.move());
                    else pending.requeue(unit.delivers(), now);
                    String error = "rsync exit " + r.exit() + (r.error().isEmpty() ? "" : ": " + lastLine(r.error()));
                    if (unit.delivers().full()) failures.put("", error);
                    for (DirtyTree.Entry e : unit.delivers().entries()) failures.put(e.path(), error);
                    if (outcome == RsyncExit.DELETES_REFUSED) alert = MASS_DELETE + "a full sync stopped deleting at max_delete"
                            + " (" + lastLine(r.error()) + ")";
                    else if (outcome == RsyncExit.PERMANENT || RsyncExit.needsAttention(r.exit(), r.error())) alert = error;
                }
                record(unit.kind(), unit.delivers().full() ? -1 : unit.delivers().entries().size(), r, null);
            }
            if (worst == RsyncExit.OK) {
                attempt = 0;
                retryAtNanos = 0;
                lastSuccess = Instant.now();
                deletesConfirmed = false;
                if (!paused) alert = null; // a full target that has room again
                if (initialSync) initial = false;
            } else if (worst.pauses()) {
                paused = true;
                pausedByError = worst == RsyncExit.PERMANENT;
            } else {
                attempt++;
                retries++;
                retryAtNanos = now + backoff.delay(attempt).toNanos();
            }
            syncing = false;
        }
        if (worst.pauses()) log.error("watch " + watchName + " target " + name() + " paused: " + alert);
        else if (worst != RsyncExit.OK) log.warn("watch " + watchName + " target " + name() + ": retry " + attempt
                + " in " + backoff.delay(attempt).toMillis() / 1000.0 + " s");
        if (worst != RsyncExit.OK || queueFile != null && Files.exists(queueFile.path())) saveQueue();
    }

    private void record(String kind, int paths, RsyncRunner.Result r, String message) {
        String text = r == null ? message : r.exit() == 0 ? null : lastLine(r.error());
        if (r != null) {
            String line = String.format("watch %s target %s: %s paths=%s files=%d bytes=%d %.3fs exit=%d%s", watchName,
                    name(), kind, paths < 0 ? "all" : String.valueOf(paths), r.files(), r.bytes(), r.seconds(), r.exit(),
                    text == null || text.isEmpty() ? "" : " (" + text + ")");
            if (r.exit() == 0 || r.exit() == 24) log.info(line);
            else log.warn(line);
        }
        activity.accept(new ReplicationStatus.Activity(Instant.now(), watchName, name(), kind, paths,
                r == null ? 0 : r.files(), r == null ? 0 : r.bytes(), r == null ? 0 : r.seconds(),
                r == null ? 0 : r.exit(), text));
    }

    /**
     * The most deletes a full sync may make (rsync's --max-delete), -1 for no limit: a full sync of a source that was
     * unmounted or emptied while no agent watched it must not wipe the target either. A percentage counts the files
     * left under the source, so an empty source may delete nothing.
     */
    private long fullSyncDeleteLimit() {
        Watch.DeleteGuard guard = watch.maxDelete();
        if (guard == null || !guard.enabled()) return -1;
        synchronized (lock) {
            if (deletesConfirmed) return -1;
        }
        long limit = guard.count() > 0 ? guard.count() : Long.MAX_VALUE;
        if (guard.percent() > 0) limit = Math.min(limit, regularFilesUnder(watch.source()) * guard.percent() / 100);
        return limit;
    }

    /** Null when the batch's deletes are within the watch's max_delete, else why it is refused. */
    private String massDelete(DirtyTree.Batch batch) {
        Watch.DeleteGuard guard = watch.maxDelete();
        if (guard == null || !guard.enabled() || batch.deletes() == 0) return null;
        synchronized (lock) {
            if (deletesConfirmed) return null;
        }
        if (guard.count() > 0 && batch.deletes() > guard.count())
            return MASS_DELETE + batch.deletes() + " deletes in one batch, max_delete allows " + guard.count();
        if (guard.percent() > 0) {
            long remaining = regularFilesUnder(watch.source());
            long before = remaining + batch.deletes();
            if (batch.deletes() * 100 > (long) guard.percent() * before)
                return MASS_DELETE + batch.deletes() + " of " + before + " files deleted in one batch, max_delete allows "
                        + guard.percent() + "%";
        }
        return null;
    }

    private void saveQueue() {
        if (queueFile == null) return;
        DirtyTree.Batch snapshot;
        synchronized (lock) {
            DirtyTree copy = new DirtyTree(PER_DIRECTORY, TOTAL);
            copy.requeue(pending.snapshot(), 0);
            for (Move m : moves) copy.mark(m.to(), Change.CREATED, true, false, 0);
            snapshot = copy.take();
        }
        try {
            queueFile.save(snapshot);
        } catch (IOException e) {
            log.error("watch " + watchName + " target " + name() + ": cannot save the queue: " + e.getMessage());
        }
    }

    ReplicationStatus.TargetStatus status(long nowNanos) {
        synchronized (lock) {
            boolean empty = pending.isEmpty() && moves.isEmpty();
            String state = stopping ? "stopped" : paused ? "paused" : syncing ? "syncing"
                    : retryAtNanos > nowNanos ? "retrying" : empty ? "idle" : "pending";
            List<ReplicationStatus.Failure> shown = new ArrayList<>();
            for (Map.Entry<String, String> f : failures.entrySet()) {
                if (shown.size() == SHOWN_FAILURES) break;
                shown.add(new ReplicationStatus.Failure(f.getKey().isEmpty() ? "(full sync)" : RawNames.display(f.getKey()),
                        f.getValue()));
            }
            double oldest = empty ? 0 : (nowNanos - pending.firstNanos()) / 1e9;
            Instant nextRetry = retryAtNanos > nowNanos
                    ? Instant.now().plusNanos(retryAtNanos - nowNanos) : null;
            return new ReplicationStatus.TargetStatus(name(), target.endpoint().rsyncDestination(), state, alert,
                    pending.size() + moves.size(), Math.max(0, oldest), inFlight, lastSuccess, attempt, retries, nextRetry,
                    shown, failures.size(), bytes.get(), files.get(), runs.get(), batches);
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        String line = nl < 0 ? t : t.substring(nl + 1);
        // rsync's own summary lines ("rsync error: ... (code 11)") say less than the cause before them
        if (line.startsWith("rsync error:")) {
            String[] lines = t.split("\n");
            for (int i = lines.length - 2; i >= 0; i--) {
                if (!lines[i].startsWith("rsync error:")) return lines[i].strip() + " / " + line;
            }
        }
        return line;
    }

    private static long regularFilesUnder(Path root) {
        long[] count = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) count[0]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return count[0];
        }
        return count[0];
    }

    /** Connects and authenticates as a push would, changing nothing: empty when the target answers, else rsync's error. */
    Optional<String> probe() {
        RsyncRunner.Result result = runner.run(args.probe(), null);
        if (result.exit() == 0) return Optional.empty();
        return Optional.of("rsync exit " + result.exit() + (result.error().isEmpty() ? "" : ": " + result.error().strip()));
    }
}
