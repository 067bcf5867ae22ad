package io.replagent.cli;

import io.replagent.control.ControlException;
import io.replagent.control.Operations;
import io.replagent.health.Finding;
import io.replagent.health.Health;
import io.replagent.replicate.Replication;
import io.replagent.replicate.ReplicationStatus;
import io.replagent.history.HistoryStore;
import io.replagent.history.Journal;
import io.replagent.history.JournalSpool;
import io.replagent.history.Versions;
import io.replagent.state.Secret;
import io.replagent.state.Server;
import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Host;
import io.replagent.system.RsyncdProbe;
import io.replagent.system.Sysctl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the running agent answers on its control socket: each operation is a thin layer over the replication engine,
 * the state and the host checks that plan already knows. This is the composition root's job, so it lives in cli.
 */
final class ControlOperations {

    /** Secrets print as their source ("env:NAME", "(sensitive)"); paths as paths. */
    private static final JsonMapper REDACTING = JsonMapper.builder()
            .addModule(new SimpleModule("redact")
                    .addSerializer(Secret.class, ToStringSerializer.instance)
                    .addSerializer(Path.class, ToStringSerializer.instance))
            .build();

    /** What the agent runs now: a reload replaces both. */
    private final Supplier<State> state;
    private final Supplier<RunningState> running;
    private final Replication replication;
    private final Host host;

    private ControlOperations(Supplier<State> state, Supplier<RunningState> running, Replication replication, Host host) {
        this.state = state;
        this.running = running;
        this.replication = replication;
        this.host = host;
    }

    static Operations of(State state, RunningState running, Replication replication, Host host) {
        return of(() -> state, () -> running, replication, host);
    }

    static Operations of(Supplier<State> state, Supplier<RunningState> running, Replication replication, Host host) {
        ControlOperations ops = new ControlOperations(state, running, replication, host);
        return new Operations()
                .call("status", "every watch and target (the status file's JSON), the agent, health findings", args -> ops.status())
                .stream("events", "recent and live batches, full syncs and overflows {filter, follow, last}", ops::events)
                .call("retry", "retry now {target: WATCH/TARGET|TARGET|WATCH, allow_deletes}", args -> ops.onTargets(args, "retry"))
                .call("pause", "pause a target {target}", args -> ops.onTargets(args, "pause"))
                .call("resume", "resume a paused target {target}", args -> ops.onTargets(args, "resume"))
                .call("sync", "full sync now {target: WATCH/TARGET|TARGET|WATCH}", args -> ops.onTargets(args, "sync"))
                .call("audit", "compare source and target by checksum {target, repair}", args -> ops.onTargets(args, "audit"))
                .call("versions", "kept versions of a path {path (relative to the source), target}", ops::versions)
                .call("limits", "kernel inotify limits, watches used and wanted", args -> ops.limits())
                .call("config", "the effective state, secrets redacted", args -> REDACTING.valueToTree(state.get()))
                .call("rsyncd", "the rendered rsyncd.conf and whether the daemon answers", args -> ops.rsyncd())
                .call("log_level", "change the log level {level: error|warn|info|debug}", ops::logLevel)
                .call("doctor", "checks with a verdict and a fix each", args -> ops.doctor());
    }

    // ---- operations

    /** The kept versions of a path on every selected target with history: "watch/target" → [{time, size, kind, path}]. */
    private Object versions(JsonNode args) throws Exception {
        String path = args.path("path").asString("");
        if (path.isEmpty()) throw new ControlException("bad_request", "give the path (relative to the watch's source)");
        ObjectNode out = REDACTING.createObjectNode();
        for (String[] wt : select(args.path("target").asString(""), true)) {
            Watch w = state.get().watches().stream().filter(x -> x.name().equals(wt[0])).findFirst().orElseThrow();
            Target t = w.targets().stream().filter(x -> x.name().equals(wt[1])).findFirst().orElseThrow();
            if (t.history().isEmpty()) continue;
            HistoryStore store = HistoryStore.of(t, host.env());
            String raw = io.replagent.tree.RawNames.of(Path.of(path).normalize());
            List<Journal.Entry> journal = Journal.read(store.journal(),
                    JournalSpool.of(state.get().settings().stateDir(), w.name(), t.name()).segments()).entries();
            var list = out.putArray(wt[0] + "/" + wt[1]);
            for (Versions.Version v : Versions.of(raw, store.history(), journal)) VersionsCommand.json(list.addObject(), v);
        }
        return out;
    }

    private void events(JsonNode args, java.util.function.Consumer<Object> emit, java.util.function.BooleanSupplier open)
            throws Exception {
        String filter = args.path("filter").asString("");
        int last = args.path("last").asInt(20);
        for (ReplicationStatus.Activity a : replication.recent(last)) if (matches(a, filter)) emit.accept(a);
        if (!args.path("follow").asBoolean(false)) return;
        BlockingQueue<ReplicationStatus.Activity> live = new ArrayBlockingQueue<>(1000);
        try (AutoCloseable subscription = replication.onActivity(a -> {
            if (matches(a, filter)) live.offer(a); // a slow reader loses lines, never slows replication
        })) {
            while (open.getAsBoolean()) {
                ReplicationStatus.Activity a = live.poll(500, TimeUnit.MILLISECONDS);
                if (a != null) emit.accept(a);
            }
        }
    }

    private static boolean matches(ReplicationStatus.Activity a, String filter) {
        if (filter.isEmpty()) return true;
        return (a.watch() + "/" + a.target() + " " + a.kind() + " " + a.message()).contains(filter);
    }

    private Object onTargets(JsonNode args, String op) throws ControlException {
        List<String[]> selected = select(args.path("target").asString(""), !op.equals("pause") && !op.equals("resume"));
        boolean allowDeletes = args.path("allow_deletes").asBoolean(false);
        if (op.equals("audit")) {
            Map<String, Object> results = new LinkedHashMap<>();
            for (String[] wt : selected) results.putAll(replication.audit(wt[0], wt[1], args.path("repair").asBoolean(false)));
            return REDACTING.valueToTree(results);
        }
        List<String> names = new ArrayList<>();
        for (String[] wt : selected) {
            switch (op) {
                case "retry" -> replication.retryNow(wt[0], wt[1], allowDeletes);
                case "pause" -> replication.pause(wt[0], wt[1]);
                case "resume" -> replication.resume(wt[0], wt[1]);
                default -> replication.fullSyncNow(wt[0], wt[1]);
            }
            names.add(wt[0] + "/" + wt[1]);
        }
        return Map.of(op, names);
    }

    /**
     * WATCH/TARGET, a target name unique across watches, or a watch name (all its targets); empty means every target
     * when {@code emptyMeansAll}. Returns [watch, target] pairs.
     */
    private List<String[]> select(String spec, boolean emptyMeansAll) throws ControlException {
        Map<String, List<String>> names = replication.targetNames();
        List<String[]> all = new ArrayList<>();
        names.forEach((w, targets) -> targets.forEach(t -> all.add(new String[] {w, t})));
        if (spec.isEmpty()) {
            if (emptyMeansAll) return all;
            throw new ControlException("bad_request", "name a target (" + describe(all) + ")");
        }
        List<String[]> chosen = all.stream().filter(wt -> spec.equals(wt[0] + "/" + wt[1])).toList();
        if (chosen.isEmpty()) chosen = all.stream().filter(wt -> spec.equals(wt[1])).toList();
        if (chosen.size() > 1) {
            throw new ControlException("bad_request", "'" + spec + "' names a target in several watches: say WATCH/TARGET ("
                    + describe(chosen) + ")");
        }
        if (chosen.isEmpty()) chosen = all.stream().filter(wt -> spec.equals(wt[0])).toList();
        if (chosen.isEmpty()) throw new ControlException("bad_request", "no watch or target '" + spec + "' (" + describe(all) + ")");
        return chosen;
    }

    private static String describe(List<String[]> targets) {
        if (targets.isEmpty()) return "this agent has no targets";
        return "targets: " + String.join(", ", targets.stream().map(wt -> wt[0] + "/" + wt[1]).toList());
    }

    private Map<String, Object> limits() throws IOException {
        Sysctl sysctl = host.sysctl();
        Map<String, Object> limits = new LinkedHashMap<>();
        for (String name : List.of("max_user_watches", "max_user_instances", "max_queued_events")) {
            limits.put(name, sysctl.read("fs.inotify." + name).orElse(-1L));
        }
        long used = replication.status().watches().stream().mapToLong(ReplicationStatus.WatchStatus::watchedDirectories).sum();
        limits.put("watches_used", used);
        limits.put("instances_used", state.get().watches().size());
        limits.put("state_wants", Map.of("ensure", state.get().settings().inotify().ensure().name().toLowerCase(Locale.ROOT),
                "max_user_watches", state.get().settings().inotify().maxUserWatches(),
                "max_queued_events", state.get().settings().inotify().maxQueuedEvents(),
                "max_user_instances", state.get().settings().inotify().maxUserInstances()));
        return limits;
    }

    private Map<String, Object> rsyncd() throws ControlException, IOException {
        if (state.get().server().isEmpty()) throw new ControlException("bad_request", "this host has no server role (no rsync daemon)");
        Server server = state.get().server().get();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("config_file", server.configFile().toString());
        result.put("config", host.files().read(server.configFile()).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8))
                .orElse("(missing)"));
        Optional<String> greeting = RsyncdProbe.greeting(RsyncdProbe.connectAddress(server.address()), server.port(), Duration.ofSeconds(2));
        result.put("daemon", greeting.map(g -> "answering on " + server.address() + ":" + server.port() + " (" + g + ")")
                .orElse("NOT answering on " + server.address() + ":" + server.port()));
        return result;
    }

    private Object logLevel(JsonNode args) throws ControlException {
        String level = args.path("level").asString("");
        try {
            replication.logLevel(Settings.LogLevel.valueOf(level.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new ControlException("bad_request", "log level '" + level + "': use error, warn, info or debug");
        }
        return Map.of("level", level.toLowerCase(Locale.ROOT));
    }

    /** The status file's JSON, plus which state this agent runs ("agent") and what the health rules make of it. */
    private ObjectNode status() throws IOException {
        ObjectNode status = (ObjectNode) REDACTING.readTree(replication.statusJson());
        status.set("agent", REDACTING.valueToTree(running.get().describe()));
        status.set("health", Health.json(Health.status(status, REDACTING.valueToTree(limits()))));
        return status;
    }

    /** Every check: the status rules, then plan, each target probed as a push would reach it, free space. */
    private JsonNode doctor() throws IOException {
        List<Finding> checks = new ArrayList<>(HealthChecks.host(state.get(), running.get().file(), host));
        checks.addAll(HealthChecks.probes(replication.probeTargets()));
        return ((ArrayNode) status().get("health")).addAll(Health.json(checks));
    }
}
