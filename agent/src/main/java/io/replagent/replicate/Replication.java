package io.replagent.replicate;

import io.replagent.tree.Change;
import io.replagent.state.Secrets;
import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.AtomicFile;
import io.replagent.system.Processes;
import io.replagent.watch.WatchLimitException;
import io.replagent.watch.Watcher;
import io.replagent.watch.Watchers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The replication engine: per watch a recursive inotify watcher, per target a pipeline of batched rsync pushes.
 * <pre>
 *   Replication r = Replication.create(state, env, System.err);
 *   r.runOnce();                      // apply --once: the initial sync of every watch, then return
 *   r.start(); r.runUntilStopped();   // apply: watch and replicate until stop() (SIGTERM)
 * </pre>
 * Status, pause/resume, retry and full sync are for the control socket and the console.
 */
public final class Replication {

    private static final int RECENT = 500;
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(2);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final State state;
    private final Log log;
    private final List<WatchRun> watches = new ArrayList<>();
    private final Deque<ReplicationStatus.Activity> recent = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<RsyncRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Consumer<ReplicationStatus.Activity>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private Thread statusWriter;

    /** One watch: its watcher (once started), its targets' pipelines and its counters. */
    private final class WatchRun implements Watcher.Listener {
        final Watch watch;
        final List<TargetPipeline> targets = new ArrayList<>();
        final AtomicLong events = new AtomicLong();
        final AtomicLong overflows = new AtomicLong();
        volatile String error;
        Watcher watcher;

        WatchRun(Watch watch) {
            this.watch = watch;
        }

        @Override public void changed(String path, Change change, boolean dir) {
            events.incrementAndGet();
            for (TargetPipeline t : targets) t.mark(path, change, dir);
        }

        @Override public void movedDirectory(String from, String to) {
            events.incrementAndGet();
            for (TargetPipeline t : targets) t.moved(from, to);
        }

        @Override public void overflow() {
            overflows.incrementAndGet();
            log.warn("watch " + watch.name() + ": inotify queue overflow (fs.inotify.max_queued_events), full sync");
            note(new ReplicationStatus.Activity(Instant.now(), watch.name(), null, "overflow", -1, 0, 0, 0, 0,
                    "inotify queue overflow: full sync"));
            for (TargetPipeline t : targets) t.fullSync(false);
        }

        @Override public void rootLost(String why) {
            error = why;
            log.error("watch " + watch.name() + ": " + why);
        }

        @Override public void rootBack() {
            error = null;
            for (TargetPipeline t : targets) t.fullSync(false);
        }

        @Override public void failed(Exception e) {
            error = e instanceof WatchLimitException ? e.getMessage() : "watcher stopped: " + e.getMessage();
            log.error("watch " + watch.name() + ": " + error);
        }
    }

    private Replication(State state, Log log) {
        this.state = state;
        this.log = log;
    }

    /**
     * Prepares pipelines for every watch and target (nothing runs yet).
     *
     * @param env the agent's environment: secrets are resolved from it, rsync children inherit it
     * @throws IOException when a target's password cannot be resolved or the saved queue cannot be read
     */
    public static Replication create(State state, Map<String, String> env, PrintStream logStream) throws IOException {
        Settings settings = state.settings();
        Replication r = new Replication(state, new Log(logStream, settings == null ? null : settings.logLevel()));
        for (Watch watch : state.watches()) {
            WatchRun run = r.new WatchRun(watch);
            for (Target target : watch.targets()) {
                // not the agent's environment: it holds every {env: NAME} secret of the state, for all targets
                Map<String, String> childEnv = Processes.inherited(env);
                childEnv.put("LANG", "C.UTF-8");
                if (target.password().isPresent()) childEnv.put("RSYNC_PASSWORD", Secrets.resolve(target.password().get(), env));
                RsyncRunner runner = new RsyncRunner(childEnv);
                r.runners.add(runner);
                QueueFile queue = settings == null || settings.stateDir() == null ? null
                        : new QueueFile(settings.stateDir().resolve("queue").resolve(fileName(watch.name() + "--" + target.name())));
                TargetPipeline pipeline = new TargetPipeline(watch.name(), watch, target, runner,
                        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), ThreadLocalRandom.current()::nextDouble),
                        r.log, r::note, queue);
                pipeline.restoreQueue();
                run.targets.add(pipeline);
            }
            r.watches.add(run);
        }
        return r;
    }

    /** The initial sync of every watch (deletes per its delete mode's startup rule), then returns. */
    public boolean runOnce() {
        boolean ok = true;
        for (WatchRun w : watches) {
            for (TargetPipeline t : w.targets) {
                t.fullSync(true);
                ok &= t.syncNow();
            }
        }
        writeStatus();
        return ok;
    }

    /**
     * Starts watching every source (all watches added before anything is sent, so nothing changed during the
     * initial sync is missed), then the initial syncs, the pipelines and the status file.
     *
     * @throws IOException when a watch cannot be set up, e.g. an inotify limit (the message names the setting)
     */
    public void start() throws IOException {
        try {
            for (WatchRun w : watches) {
                w.watcher = Watchers.open(w.watch.source(), w.watch.exclude(), w.watch.events(), watchBackend(), w);
                w.watcher.start("watch-" + w.watch.name());
                log.info("watch " + w.watch.name() + ": watching " + w.watch.source() + " with " + w.watcher.backend()
                        + (w.watcher.backend().equals("inotify") ? " (" + w.watcher.watchedDirectories() + " directories)" : "")
                        + ": " + w.watcher.backendReason());
            }
        } catch (IOException e) {
            for (WatchRun w : watches) if (w.watcher != null) w.watcher.close();
            throw e;
        }
        for (WatchRun w : watches) {
            for (TargetPipeline t : w.targets) {
                if (w.watch.init()) t.fullSync(true);
                Thread thread = new Thread(t::run, "sync-" + w.watch.name() + "-" + t.name());
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }
        if (state.settings() != null && state.settings().statusFile() != null) {
            statusWriter = new Thread(this::writeStatusLoop, "status-file");
            statusWriter.setDaemon(true);
            statusWriter.start();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void runUntilStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Clean shutdown: stop watching, let running rsyncs finish (bounded by a grace period, then they are killed),
     * save what is undelivered to the queue files.
     */
    public synchronized void stop() {
        if (stopping) return;
        stopping = true;
        for (WatchRun w : watches) if (w.watcher != null) w.watcher.close();
        for (WatchRun w : watches) for (TargetPipeline t : w.targets) t.stop();
        joinAll(STOP_GRACE);
        runners.forEach(RsyncRunner::killAll); // past the grace period; killed runs go back to the queue
        joinAll(Duration.ofSeconds(2));
        for (WatchRun w : watches) for (TargetPipeline t : w.targets) t.finish(Duration.ofSeconds(2));
        if (statusWriter != null) statusWriter.interrupt();
        writeStatus();
        log.info("stopped");
        stopped.countDown();
    }

    private void joinAll(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public ReplicationStatus status() {
        long now = System.nanoTime();
        List<ReplicationStatus.WatchStatus> out = new ArrayList<>();
        for (WatchRun w : watches) {
            List<ReplicationStatus.TargetStatus> targets = new ArrayList<>();
            for (TargetPipeline t : w.targets) targets.add(t.status(now));
            out.add(new ReplicationStatus.WatchStatus(w.watch.name(), w.watch.source().toString(),
                    w.watcher == null ? 0 : w.watcher.watchedDirectories(), w.events.get(), w.overflows.get(), w.error,
                    w.watcher == null ? null : w.watcher.backend(), w.watcher == null ? null : w.watcher.backendReason(),
                    targets));
        }
        return new ReplicationStatus(Instant.now(), out);
    }

    /** The snapshot in the status file's JSON form (snake_case keys), for the control socket and the console. */
    public String statusJson() {
        return StatusJson.of(status());
    }

    /** The last {@code max} activities (batches, full syncs, overflows), oldest first. */
    public List<ReplicationStatus.Activity> recent(int max) {
        synchronized (recent) {
            List<ReplicationStatus.Activity> all = new ArrayList<>(recent);
            return List.copyOf(all.subList(Math.max(0, all.size() - max), all.size()));
        }
    }

    /** Pauses a target (null watch or target: all of them). */
    public void pause(String watch, String target) {
        each(watch, target, t -> t.pause("paused by operator"));
    }

    /** Resumes a paused target. */
    public void resume(String watch, String target) {
        each(watch, target, TargetPipeline::resume);
    }

    /** Retries now instead of waiting for the backoff; {@code allowDeletes} confirms a refused mass delete. */
    public void retryNow(String watch, String target, boolean allowDeletes) {
        each(watch, target, t -> t.retryNow(allowDeletes));
    }

    /**
     * Calls {@code listener} with every new activity (the live tail) until the returned handle is closed.
     * It runs on the replication's threads: hand the activity over (a queue), never block.
     */
    public AutoCloseable onActivity(Consumer<ReplicationStatus.Activity> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** A full sync of the watch's targets now. */
    public void fullSyncNow(String watch, String target) {
        each(watch, target, t -> t.fullSync(false));
    }

    private void each(String watch, String target, Consumer<TargetPipeline> action) {
        for (WatchRun w : watches) {
            if (watch != null && !w.watch.name().equals(watch)) continue;
            for (TargetPipeline t : w.targets) if (target == null || t.name().equals(target)) action.accept(t);
        }
    }

    private void note(ReplicationStatus.Activity a) {
        synchronized (recent) {
            recent.addLast(a);
            while (recent.size() > RECENT) recent.removeFirst();
        }
        listeners.forEach(l -> l.accept(a));
    }

    private void writeStatusLoop() {
        while (!stopping) {
            writeStatus();
            try {
                Thread.sleep(STATUS_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void writeStatus() {
        Path file = state.settings() == null ? null : state.settings().statusFile();
        if (file == null) return;
        try {
            AtomicFile.write(file, StatusJson.of(status()).getBytes(StandardCharsets.UTF_8), 0644);
        } catch (IOException e) {
            log.warn("cannot write the status file " + file + ": " + e.getMessage());
        }
    }

    private Settings.WatchBackend watchBackend() {
        return state.settings() == null ? Settings.WatchBackend.AUTO : state.settings().watchBackend();
    }

    private static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The log level from now on. */
    public void logLevel(Settings.LogLevel level) {
        log.level(level);
    }

    /**
     * Connects to each target as a push would (authenticating, changing nothing).
     * @return per "watch/target", empty when it answered, else rsync's exit and error
     */
    public Map<String, Optional<String>> probeTargets() {
        Map<String, Optional<String>> result = new java.util.LinkedHashMap<>();
        for (WatchRun w : watches) for (TargetPipeline t : w.targets) result.put(w.watch.name() + "/" + t.name(), t.probe());
        return result;
    }

    /** The names of the watches and their targets, in state order: what the control operations resolve against. */
    public Map<String, List<String>> targetNames() {
        Map<String, List<String>> names = new java.util.LinkedHashMap<>();
        for (WatchRun w : watches) names.put(w.watch.name(), w.targets.stream().map(TargetPipeline::name).toList());
        return names;
    }
}
