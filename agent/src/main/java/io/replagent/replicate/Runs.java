package io.replagent.replicate;

import io.replagent.state.Settings;
import io.replagent.system.Log;
import io.replagent.watch.Watchers;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What runs: each watch's watcher, each target pipeline's thread, and every target's rsync runner; started one by
 * one, stopped one by one (a reload) or all together (shutdown), a pipeline always given the time to save its queue.
 */
final class Runs {

    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Changed by a reload while the housekeeping thread and the control socket read it. */
    final List<WatchRun> watches = new CopyOnWriteArrayList<>();
    /** Every target's runner, for killing the rsyncs that outlive the grace period at shutdown. */
    final List<RsyncRunner> runners = new CopyOnWriteArrayList<>();
    private final Map<TargetPipeline, Thread> threads = new ConcurrentHashMap<>();
    private final Log log;
    private final Supplier<Settings.WatchBackend> backend;

    /** @param backend the watch backend the state asks for now (a reload may change the state) */
    Runs(Log log, Supplier<Settings.WatchBackend> backend) {
        this.log = log;
        this.backend = backend;
    }

    /** Opens and starts the watch's watcher. */
    void watch(WatchRun w) throws IOException {
        w.watcher = Watchers.open(w.watch.source(), w.watch.exclude(), w.watch.events(), backend.get(), w);
        w.watcher.start("watch-" + w.watch.name());
        log.info("watch " + w.watch.name() + ": watching " + w.watch.source() + " with " + w.watcher.backend()
                + (w.watcher.backend().equals("inotify") ? " (" + w.watcher.watchedDirectories() + " directories)" : "")
                + ": " + w.watcher.backendReason());
    }

    /** Opens every watcher of {@code runs}, or none: those opened are closed again when one fails. */
    void watchAll(List<WatchRun> runs) throws IOException {
        try {
            for (WatchRun w : runs) watch(w);
        } catch (IOException | RuntimeException e) {
            for (WatchRun w : runs) if (w.watcher != null) w.watcher.close();
            throw e;
        }
    }

    /** Starts the pipeline's thread. */
    void run(WatchRun w, TargetPipeline t) {
        Thread thread = new Thread(t::run, "sync-" + w.watch.name() + "-" + t.name());
        thread.setDaemon(true);
        threads.put(t, thread);
        thread.start();
    }

    WatchRun find(String name) {
        return watches.stream().filter(w -> w.watch.name().equals(name)).findFirst().orElseThrow();
    }

    /** Each pipeline of the watch (null: every watch) and target (null: every target). */
    void each(String watch, String target, Consumer<TargetPipeline> action) {
        for (WatchRun w : watches) {
            if (watch != null && !w.watch.name().equals(watch)) continue;
            for (TargetPipeline t : w.targets) if (target == null || t.name().equals(target)) action.accept(t);
        }
    }

    /**
     * Stops a watch: its watcher, then its pipelines (running rsyncs finish, the queue is saved).
     *
     * @param dropQueues its queue files are removed (the source moved: their paths mean nothing there)
     * @return each target's hand-over, by target name
     */
    Map<String, TargetPipeline.Handover> retire(WatchRun w, boolean dropQueues) {
        if (w.watcher != null) w.watcher.close();
        watches.remove(w);
        Map<String, TargetPipeline.Handover> handed = new LinkedHashMap<>();
        for (TargetPipeline t : w.targets) {
            TargetPipeline.Handover h = finish(t);
            if (dropQueues && t.queueFile() != null) {
                try {
                    Files.deleteIfExists(t.queueFile().path());
                } catch (IOException e) {
                    log.warn("watch " + w.watch.name() + " target " + t.name() + ": cannot remove " + t.queueFile().path()
                            + ": " + e.getMessage());
                }
            } else {
                handed.put(t.name(), h);
            }
        }
        return handed;
    }

    /** Stops one pipeline: its thread, its rsyncs (within the grace period), then saves its queue. */
    TargetPipeline.Handover finish(TargetPipeline t) {
        t.stop();
        Thread thread = threads.remove(t);
        if (thread != null) {
            try {
                thread.join(STOP_GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        t.finish(Duration.ofSeconds(2));
        return t.handOver();
    }

    /**
     * Stops everything: the watchers, then the pipelines; running rsyncs get the grace period, then they are killed
     * (what they carried goes back to the queue), and every queue is saved.
     */
    void stopAll() {
        for (WatchRun w : watches) if (w.watcher != null) w.watcher.close();
        each(null, null, TargetPipeline::stop);
        joinAll(STOP_GRACE);
        runners.forEach(RsyncRunner::killAll);
        joinAll(Duration.ofSeconds(2));
        each(null, null, t -> t.finish(Duration.ofSeconds(2)));
    }

    /** Whether every pipeline's thread still runs (one that died of an error would leave its changes undelivered). */
    boolean alive() {
        for (Thread t : threads.values()) if (!t.isAlive()) return false;
        return true;
    }

    private void joinAll(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread t : threads.values()) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
