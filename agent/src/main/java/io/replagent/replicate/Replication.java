package io.replagent.replicate;

import io.replagent.history.TargetHistory;
import io.replagent.state.Settings;
import io.replagent.state.Server;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.watch.Watcher;
import io.replagent.watch.Watchers;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The replication engine: per watch a watcher (inotify or fanotify), per target a pipeline of batched rsync pushes.
 * <pre>
 *   Replication r = Replication.create(state, env, System.err);
 *   r.runOnce();                      // apply --once: the initial sync of every watch, then return
 *   r.start(); r.runUntilStopped();   // apply: watch and replicate until stop() (SIGTERM)
 * </pre>
 * Status, pause/resume, retry and full sync are for the control socket and the console.
 */
public final class Replication {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final State state;
    private final Log log;
    private final List<WatchRun> watches = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<RsyncRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ActivityLog activity;
    private volatile boolean stopping;
    private final Housekeeping housekeeping;
    /** The modules of this host's daemon whose history this agent prunes, by name. */
    private final Map<String, TargetHistory> modules = new java.util.LinkedHashMap<>();

    private Replication(State state, Log log) {
        this.state = state;
        this.log = log;
        this.activity = new ActivityLog(log, Clock.systemUTC());
        this.housekeeping = new Housekeeping(state.settings() == null ? null : state.settings().statusFile(), this::status,
                watches, modules.values(), log);
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
        r.watches.addAll(Pipelines.create(state, env, r.log, r.activity, r.runners, true));
        r.modules.putAll(moduleHistories(state, env, r.log));
        return r;
    }

    /**
     * The backup host's side of history: every module that declares it gets its retention applied here, as a local
     * directory with history (what the clients' pushes keep in its .agent/history/).
     */
    private static Map<String, TargetHistory> moduleHistories(State state, Map<String, String> env, Log log) throws IOException {
        Map<String, TargetHistory> out = new java.util.LinkedHashMap<>();
        if (state.server().isEmpty() || state.settings() == null || state.settings().stateDir() == null) return out;
        for (Server.Module m : state.server().get().modules()) {
            if (m.history().isEmpty()) continue;
            Target asLocal = new Target(m.name(), new Target.Local(m.path()), Optional.empty(), Optional.empty(), m.history());
            TargetHistory.of(asLocal, state.settings().stateDir(), "module", env,
                    (level, message) -> log.at(level, "module " + m.name() + ": " + message)).ifPresent(h -> out.put(m.name(), h));
        }
        return out;
    }

    /**
     * A one-off audit of a watch's targets beside (or without) a running agent, for {@code agent audit}: no watcher,
     * no queue file touched. {@code repair}: the differences are sent now.
     *
     * @throws IllegalArgumentException when the state has no such watch (the message names the watches)
     * @throws IOException when a repair did not deliver everything (the log says why)
     */
    public static Map<String, ReplicationStatus.AuditStatus> auditOnce(State state, Map<String, String> env,
                                                                      PrintStream logStream, String watch, boolean repair)
            throws IOException {
        if (state.watches().stream().noneMatch(w -> w.name().equals(watch))) {
            throw new IllegalArgumentException("no watch '" + watch + "' in the state (watches: "
                    + String.join(", ", state.watches().stream().map(io.replagent.state.Watch::name).toList()) + ")");
        }
        Replication r = new Replication(state, new Log(logStream, state.settings() == null ? null : state.settings().logLevel()));
        r.watches.addAll(Pipelines.create(state, env, r.log, r.activity, r.runners, false));
        Map<String, ReplicationStatus.AuditStatus> results = r.audit(watch, null, repair);
        boolean delivered = true;
        if (repair) for (WatchRun w : r.watches) if (w.watch.name().equals(watch)) for (TargetPipeline t : w.targets) delivered &= t.syncNow();
        if (!delivered) throw new IOException("the repair did not deliver every difference (see the log above)");
        return results;
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
        housekeeping.writeStatus();
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
        housekeeping.start();
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
        housekeeping.stop();
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
        List<ReplicationStatus.ModuleStatus> mods = new ArrayList<>();
        for (Server.Module m : state.server().map(Server::modules).orElse(List.of())) {
            TargetHistory h = modules.get(m.name());
            if (h != null) mods.add(new ReplicationStatus.ModuleStatus(m.name(), m.path().toString(), h.status()));
        }
        return new ReplicationStatus(Instant.now(), out, mods);
    }

    /** The snapshot in the status file's JSON form (snake_case keys), for the control socket and the console. */
    public String statusJson() {
        return StatusJson.of(status());
    }

    /** The last {@code max} activities (batches, full syncs, overflows), oldest first. */
    public List<ReplicationStatus.Activity> recent(int max) {
        return activity.recent(max);
    }

    /** Pauses a target (null watch or target: all of them). */
    public void pause(String watch, String target) {
        each(watch, target, t -> t.pause(PauseState.Reason.OPERATOR, "paused by operator"));
    }

    /**
     * Compares source and target of the watch's targets by checksum, now, on the caller's thread; {@code repair}:
     * the differences are queued to be sent again. Returns per "watch/target" the result as status shows it.
     */
    public Map<String, ReplicationStatus.AuditStatus> audit(String watch, String target, boolean repair) {
        Map<String, ReplicationStatus.AuditStatus> results = new LinkedHashMap<>();
        each(watch, target, t -> {
            t.audit(repair);
            results.put(t.id(), t.status(System.nanoTime()).lastAudit());
        });
        return results;
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
        return activity.subscribe(listener);
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

    private Settings.WatchBackend watchBackend() {
        return state.settings() == null ? Settings.WatchBackend.AUTO : state.settings().watchBackend();
    }

    /** The listener the watch's watcher calls (tests drive it as a watcher would). */
    Watcher.Listener listener(String watch) {
        return watches.stream().filter(w -> w.watch.name().equals(watch)).findFirst().orElseThrow();
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
        Map<String, Optional<String>> result = new LinkedHashMap<>();
        each(null, null, t -> result.put(t.id(), t.probe()));
        return result;
    }

    /** The names of the watches and their targets, in state order: what the control operations resolve against. */
    public Map<String, List<String>> targetNames() {
        Map<String, List<String>> names = new java.util.LinkedHashMap<>();
        for (WatchRun w : watches) names.put(w.watch.name(), w.targets.stream().map(TargetPipeline::name).toList());
        return names;
    }
}
