package io.replagent.cli;

import io.replagent.control.ControlException;
import io.replagent.control.Operations;
import io.replagent.converge.Action;
import io.replagent.converge.Change;
import io.replagent.converge.Converger;
import io.replagent.converge.Plan;
import io.replagent.replicate.Replication;
import io.replagent.replicate.ReplicationStatus;
import io.replagent.state.Diagnostic;
import io.replagent.state.Secret;
import io.replagent.state.Server;
import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.system.Host;
import io.replagent.system.RsyncdProbe;
import io.replagent.system.Sysctl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
    /** A last success older than this, with changes waiting, is worth a doctor's warning. */
    static final Duration STALE = Duration.ofMinutes(10);
    /** Free space on the state directory's file system below this is a warning: the queue must be persistable. */
    static final long LOW_SPACE = 64L * 1024 * 1024;

    private final State state;
    private final Replication replication;
    private final Host host;

    private ControlOperations(State state, Replication replication, Host host) {
        this.state = state;
        this.replication = replication;
        this.host = host;
    }

    static Operations of(State state, Replication replication, Host host) {
        ControlOperations ops = new ControlOperations(state, replication, host);
        return new Operations()
                .call("status", "every watch and target (the status file's JSON)", args -> REDACTING.readTree(replication.statusJson()))
                .stream("events", "recent and live batches, full syncs and overflows {filter, follow, last}", ops::events)
                .call("retry", "retry now {target: WATCH/TARGET|TARGET|WATCH, allow_deletes}", args -> ops.onTargets(args, "retry"))
                .call("pause", "pause a target {target}", args -> ops.onTargets(args, "pause"))
                .call("resume", "resume a paused target {target}", args -> ops.onTargets(args, "resume"))
                .call("sync", "full sync now {target: WATCH/TARGET|TARGET|WATCH}", args -> ops.onTargets(args, "sync"))
                .call("audit", "compare source and target by checksum {target, repair}", args -> ops.onTargets(args, "audit"))
                .call("limits", "kernel inotify limits, watches used and wanted", args -> ops.limits())
                .call("config", "the effective state, secrets redacted", args -> REDACTING.valueToTree(state))
                .call("rsyncd", "the rendered rsyncd.conf and whether the daemon answers", args -> ops.rsyncd())
                .call("log_level", "change the log level {level: error|warn|info|debug}", ops::logLevel)
                .call("doctor", "checks with a verdict and a fix each", args -> ops.doctor());
    }

    // ---- operations

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
        limits.put("instances_used", state.watches().size());
        limits.put("state_wants", Map.of("ensure", state.settings().inotify().ensure().name().toLowerCase(Locale.ROOT),
                "max_user_watches", state.settings().inotify().maxUserWatches(),
                "max_queued_events", state.settings().inotify().maxQueuedEvents(),
                "max_user_instances", state.settings().inotify().maxUserInstances()));
        return limits;
    }

    private Map<String, Object> rsyncd() throws ControlException, IOException {
        if (state.server().isEmpty()) throw new ControlException("bad_request", "this host has no server role (no rsync daemon)");
        Server server = state.server().get();
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

    private record Check(String check, String verdict, String detail, String fix) {}

    /** What an operator would check by hand, each with a plain verdict and the fix. */
    private List<Check> doctor() {
        List<Check> checks = new ArrayList<>();
        // The host side: everything converge knows how to check (rsync present, file modes, the daemon, limits).
        Plan plan = Converger.of(state, host).plan();
        for (Diagnostic d : plan.diagnostics()) {
            checks.add(new Check("state", d.severity() == Diagnostic.Severity.ERROR ? "fail" : "warn", d.summary(), "fix the state file"));
        }
        if (plan.changes().isEmpty()) checks.add(new Check("host", "ok", "matches the state (plan is empty)", ""));
        for (Change c : plan.changes()) {
            String shown = c.sensitive() ? "(sensitive)" : (c.before() == null ? "absent" : c.before()) + " -> " + c.after();
            checks.add(new Check(c.resource(), c.action() == Action.BLOCKED ? "fail" : "warn",
                    c.attribute() + ": " + c.reason().text + ", " + shown,
                    c.action() == Action.BLOCKED ? String.join("; ", c.detail()) : "agent apply (plan shows the change)"));
        }
        // Each target, as a push would reach it.
        replication.probeTargets().forEach((name, error) -> checks.add(error.isEmpty()
                ? new Check("target " + name, "ok", "reachable and authenticated", "")
                : new Check("target " + name, "fail", error.get(), "check the daemon is up, the module exists and the password matches")));
        // Keeping up.
        Instant now = Instant.now();
        for (ReplicationStatus.WatchStatus w : replication.status().watches()) {
            if (w.error() != null) checks.add(new Check("watch " + w.name(), "fail", w.error(), "see the log; inotify limits: 'limits'"));
            for (ReplicationStatus.TargetStatus t : w.targets()) {
                String name = "replication " + w.name() + "/" + t.name();
                if (t.alert() != null) {
                    checks.add(new Check(name, "fail", t.alert(), "fix the cause, then 'retry " + w.name() + "/" + t.name() + "'"));
                } else if (t.failureCount() > 0) {
                    checks.add(new Check(name, "warn", t.failureCount() + " path(s) in the failure queue, retry " + t.attempt()
                            + (t.nextRetry() == null ? "" : " next at " + t.nextRetry()),
                            "'failures' shows rsync's error; once fixed, 'retry " + w.name() + "/" + t.name() + "'"));
                } else if (t.queueDepth() > 0 && (t.lastSuccess() == null || t.lastSuccess().isBefore(now.minus(STALE)))) {
                    checks.add(new Check(name, "warn", t.queueDepth() + " change(s) waiting, last success "
                            + (t.lastSuccess() == null ? "never" : t.lastSuccess()), "see 'failures' and 'events'"));
                } else {
                    checks.add(new Check(name, "ok", "last success " + (t.lastSuccess() == null ? "none yet" : t.lastSuccess())
                            + ", " + t.queueDepth() + " waiting", ""));
                }
            }
        }
        checks.add(space(state.settings().stateDir()));
        return checks;
    }

    private static Check space(Path dir) {
        try {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            long free = store.getUsableSpace();
            String detail = String.format(Locale.ROOT, "%.1f GiB free on %s", free / (1024.0 * 1024 * 1024), dir);
            return free < LOW_SPACE ? new Check("disk space", "warn", detail, "free space: the failure queue is saved there")
                    : new Check("disk space", "ok", detail, "");
        } catch (IOException e) {
            return new Check("disk space", "warn", "cannot read free space of " + dir + ": " + e.getMessage(), "");
        }
    }
}
