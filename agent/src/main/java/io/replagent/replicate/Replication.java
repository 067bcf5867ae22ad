package io.replagent.replicate;

import io.replagent.history.TargetHistory;
import io.replagent.state.Server;
import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Log;
import io.replagent.system.LogFormat;
import io.replagent.watch.Watcher;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
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

    private volatile State state;
    private final Log log;
    private final Runs runs;
    /** The watches that run (changed by a reload while the housekeeping thread and the control socket read it). */
    private final List<WatchRun> watches;
    private final SshConnections connections;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ActivityLog activity;
    private volatile boolean stopping;
    private final Housekeeping housekeeping;
    /** The modules of this host's daemon whose history this agent prunes, by name. */
    private final Map<String, TargetHistory> modules = new LinkedHashMap<>();

    private Replication(State state, Log log) {
        this.state = state;
        this.connections = new SshConnections(state.settings() == null ? null : state.settings().stateDir());
        this.log = log;
        this.runs = new Runs(log, this::watchBackend);
        this.watches = runs.watches;
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
        return create(state, env, log(logStream, settings));
    }

    /** As {@link #create(State, Map, PrintStream)}, logging to {@code log} (the agent's one log). */
    public static Replication create(State state, Map<String, String> env, Log log) throws IOException {
        Replication r = new Replication(state, log);
        r.watches.addAll(Pipelines.create(state, env, r.log, r.activity, r.runs.runners, r.connections, true));
        r.modules.putAll(moduleHistories(state, env, r.log));
        return r;
    }

    /**
     * The backup host's side of history: every module that declares it gets its retention applied here, as a local
     * directory with history (what the clients' pushes keep in its .agent/history/).
     */
    private static Map<String, TargetHistory> moduleHistories(State state, Map<String, String> env, Log log) throws IOException {
        Map<String, TargetHistory> out = new LinkedHashMap<>();
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
                    + String.join(", ", state.watches().stream().map(Watch::name).toList()) + ")");
        }
        Replication r = new Replication(state, log(logStream, state.settings()));
        r.watches.addAll(Pipelines.create(state, env, r.log, r.activity, r.runs.runners, r.connections, false));
        Map<String, ReplicationStatus.AuditStatus> results = r.audit(watch, null, repair);
        boolean delivered = true;
        if (repair) for (WatchRun w : r.watches) if (w.watch.name().equals(watch)) for (TargetPipeline t : w.targets) delivered &= t.syncNow();
        r.closeConnections();
        if (!delivered) throw new IOException("the repair did not deliver every difference (see the log above)");
        return results;
    }

    /**
     * As {@link #runOnce()}, the progress of each full sync shown as a live line on {@code terminal} (apply --once
     * run by a person) instead of log lines.
     */
    public boolean runOnce(PrintStream terminal) {
        for (WatchRun w : watches) for (TargetPipeline t : w.targets) t.showProgressOn(terminal);
        return runOnce();
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
        closeConnections();
        return ok;
    }

    /** Ends the ssh targets' shared connections (they would outlive a one-off run by their idle timeout). */
    private void closeConnections() {
        each(null, null, TargetPipeline::closeConnection);
    }

    /**
     * Starts watching every source (all watches added before anything is sent, so nothing changed during the
     * initial sync is missed), then the initial syncs, the pipelines and the status file.
     *
     * @throws IOException when a watch cannot be set up, e.g. an inotify limit (the message names the setting)
     */
    public void start() throws IOException {
        runs.watchAll(watches);
        for (WatchRun w : watches) {
            for (TargetPipeline t : w.targets) {
                if (w.watch.init()) t.fullSync(true);
                runs.run(w, t);
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
        runs.stopAll();
        housekeeping.stop();
        log.info("stopped");
        stopped.countDown();
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

    /**
     * Whether every pipeline's thread still runs (one that died of an error would leave its target's changes
     * undelivered for ever): what the systemd watchdog is fed with, together with a status snapshot.
     */
    public boolean alive() {
        return stopping || runs.alive();
    }

    /**
     * Calls {@code listener} with every batch a target received in full (the on_batch hooks), on the replication's
     * threads: hand it over, never block.
     */
    public AutoCloseable onDelivered(Consumer<Delivered> listener) {
        return activity.onDelivered(listener);
    }

    /**
     * Converges the running replication to {@code next}, a reloaded state (see {@link Reload}): nothing lost of what
     * the remaining watches and targets hold, nothing changed when a new watch or target cannot be set up.
     *
     * @return one line per change; settings that need a restart are named last
     * @throws IOException when a new watch or target cannot be set up (the message names it); nothing was changed
     */
    public synchronized List<String> reload(State next, Map<String, String> env) throws IOException {
        if (stopping) throw new IOException("the agent is stopping");
        ReloadPlan plan = ReloadPlan.of(state, next);
        List<String> lines = new Reload(plan, next, runs, env, log, activity, connections).apply();
        plan.logLevel().ifPresent(this::logLevel);
        state = next;
        return lines;
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
        runs.each(watch, target, action);
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
        log.level(Log.Level.valueOf(level.name()));
    }

    /** The agent's log as the state's settings want it (level, text or JSON). */
    public static Log log(PrintStream stream, Settings settings) {
        return new Log(stream, settings == null ? null : Log.Level.valueOf(settings.logLevel().name()),
                settings != null && settings.logFormat() == Settings.LogFormat.JSON ? LogFormat.JSON : LogFormat.TEXT);
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
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (WatchRun w : watches) names.put(w.watch.name(), w.targets.stream().map(TargetPipeline::name).toList());
        return names;
    }
}
