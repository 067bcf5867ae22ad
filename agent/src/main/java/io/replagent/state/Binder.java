package io.replagent.state;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Builds the model from a tree that passed the schema and semantic checks, filling in the defaults the schema
 * documents (BinderTest holds the two together).
 */
final class Binder {

    static final String STATE_DIR = "/var/lib/agent";
    static final String CONTROL_SOCKET = "/run/agent/agent.sock";
    static final String SYSCTL_FILE = "/etc/sysctl.d/90-agent-inotify.conf";
    static final String CONFIG_FILE = "/etc/rsyncd.conf";
    static final String SECRETS_FILE = "/etc/rsync.password";
    /** Not the distribution daemon's /run/rsyncd.pid (= /var/run/rsyncd.pid): the two daemons would share it. */
    static final String PID_FILE = "/run/rsyncd-agent.pid";
    static final String LOCK_FILE = "/var/run/rsync.lock";
    static final String LOG_FILE = "/var/log/rsyncd.log";

    private Binder() {}

    static State bind(JsonNode root) {
        List<Watch> watches = new ArrayList<>();
        root.path("watches").forEach(w -> watches.add(watch(w)));
        return new State(root.path("version").asInt(),
                settings(root.path("settings")),
                root.has("server") ? Optional.of(server(root.path("server"))) : Optional.empty(),
                root.has("client") ? Optional.of(client(root.path("client"))) : Optional.empty(),
                watches);
    }

    private static Settings settings(JsonNode s) {
        Path stateDir = path(s, "state_dir", STATE_DIR);
        JsonNode inotify = s.path("inotify");
        return new Settings(stateDir,
                s.has("status_file") ? path(s, "status_file", null) : stateDir.resolve("status.json"),
                path(s, "control_socket", CONTROL_SOCKET),
                enumOf(Settings.LogLevel.class, s.path("log"), "level", "info"),
                new InotifyLimits(enumOf(InotifyLimits.Ensure.class, inotify, "ensure", "check"),
                        inotify.path("max_user_watches").asLong(0),
                        inotify.path("max_queued_events").asLong(0),
                        inotify.path("max_user_instances").asLong(0),
                        path(inotify, "sysctl_file", SYSCTL_FILE)),
                strings(s.path("adopt")).stream().map(p -> Path.of(StatePath.normalize(p, "a path"))).toList(),
                enumOf(Settings.WatchBackend.class, s, "watch_backend", "auto"));
    }

    private static Server server(JsonNode s) {
        List<Server.User> users = new ArrayList<>();
        s.path("users").forEach(u -> users.add(new Server.User(u.path("name").stringValue(), secret(u.path("password")))));
        List<Server.Module> modules = new ArrayList<>();
        s.path("modules").forEach(m -> modules.add(module(m)));
        JsonNode daemon = s.path("daemon");
        return new Server(
                path(s, "config_file", CONFIG_FILE),
                path(s, "secrets_file", SECRETS_FILE),
                path(s, "pid_file", PID_FILE),
                path(s, "lock_file", LOCK_FILE),
                path(s, "log_file", LOG_FILE),
                s.path("port").asInt(873),
                string(s, "address", "0.0.0.0"),
                string(s, "run_as", "rsync"),
                s.path("use_chroot").asBoolean(true),
                s.path("max_connections").asInt(200),
                duration(s, "timeout", "300s"),
                users,
                modules,
                new Server.Daemon(enumOf(Server.Daemon.Manage.class, daemon, "manage", "process"),
                        string(daemon, "systemd_unit", Server.Daemon.DEFAULT_UNIT)),
                extra(s.path("extra")));
    }

    private static Server.Module module(JsonNode m) {
        List<Server.AuthUser> authUsers = new ArrayList<>();
        m.path("auth_users").forEach(a -> authUsers.add(a.isString()
                ? new Server.AuthUser(a.stringValue(), Server.AuthUser.Access.DEFAULT)
                : new Server.AuthUser(a.path("name").stringValue(),
                        enumOf(Server.AuthUser.Access.class, a, "access", "default"))));
        return new Server.Module(
                m.path("name").stringValue(),
                path(m, "path", null),
                string(m, "comment", ""),
                Integer.parseInt(string(m, "mode", "0755"), 8),
                m.path("read_only").asBoolean(false),
                m.path("write_only").asBoolean(false),
                m.path("list").asBoolean(false),
                authUsers,
                strings(m.path("hosts_allow")),
                strings(m.path("hosts_deny")),
                m.path("max_connections").asInt(0),
                duration(m, "timeout", "0"),
                optional(m, "uid"),
                optional(m, "gid"),
                m.has("use_chroot") ? Optional.of(m.path("use_chroot").asBoolean()) : Optional.empty(),
                strings(m.path("refuse_options")),
                m.path("ignore_errors").asBoolean(false),
                m.path("fake_super").asBoolean(false),
                optional(m, "incoming_chmod"),
                strings(m.path("exclude")),
                m.path("transfer_logging").asBoolean(false),
                extra(m.path("extra")),
                history(m.path("history")));
    }

    private static Client client(JsonNode c) {
        List<Client.PasswordFile> files = new ArrayList<>();
        c.path("password_files").forEach(f -> files.add(new Client.PasswordFile(path(f, "path", null), secret(f.path("password")))));
        return new Client(files);
    }

    private static Watch watch(JsonNode w) {
        List<Target> targets = new ArrayList<>();
        w.path("targets").forEach(t -> targets.add(target(t)));
        Set<Watch.Event> events = EnumSet.noneOf(Watch.Event.class);
        if (w.has("events")) w.path("events").forEach(e -> events.add(constant(Watch.Event.class, e.stringValue())));
        else events.addAll(EnumSet.allOf(Watch.Event.class));
        JsonNode rsync = w.path("rsync");
        return new Watch(
                w.path("name").stringValue(),
                path(w, "source", null),
                targets,
                events,
                duration(w, "delay", "1s"),
                w.path("max_delays").asInt(1000),
                w.path("max_processes").asInt(8),
                w.has("delete") ? constant(Watch.DeleteMode.class, w.path("delete").asString()) : Watch.DeleteMode.TRUE,
                strings(w.path("exclude")),
                w.path("init").asBoolean(true),
                new Watch.RsyncOptions(rsync.path("compress").asBoolean(false), rsync.path("bwlimit_kbps").asInt(0),
                        duration(rsync, "timeout", "0"), rsync.path("checksum").asBoolean(false), strings(rsync.path("extra"))),
                duration(w, "full_sync_interval", "0"),
                deleteGuard(w.path("max_delete")),
                duration(w, "audit_interval", "0"));
    }

    private static Target target(JsonNode t) {
        Target.Endpoint endpoint = TargetUrl.parse(t.path("url").stringValue());
        return new Target(t.has("name") ? t.path("name").stringValue() : TargetUrl.defaultName(endpoint),
                endpoint,
                t.has("password_file") ? Optional.of(path(t, "password_file", null)) : Optional.empty(),
                t.has("password") ? Optional.of(secret(t.path("password"))) : Optional.empty(),
                history(t.path("history")));
    }

    /** Absent or false: no history; true: kept with no limit; an object: kept with that retention. */
    private static Optional<Retention> history(JsonNode h) {
        if (h.isBoolean()) return h.booleanValue() ? Optional.of(Retention.FOREVER) : Optional.empty();
        if (!h.isObject()) return Optional.empty();
        JsonNode size = h.path("max_size");
        return Optional.of(new Retention(h.has("keep") ? Retention.age(h.path("keep").stringValue()) : Duration.ZERO,
                h.path("max_versions").asInt(0), size.isMissingNode() ? 0 : Retention.size(size.asString())));
    }

    private static Watch.DeleteGuard deleteGuard(JsonNode guard) {
        if (guard.isString()) {
            String percent = guard.stringValue();
            return new Watch.DeleteGuard(0, Integer.parseInt(percent.substring(0, percent.length() - 1)));
        }
        return guard.isMissingNode() ? Watch.DeleteGuard.DEFAULT : new Watch.DeleteGuard(guard.asLong(), 0);
    }

    static Secret secret(JsonNode s) {
        if (s.has("env")) return new Secret.Env(s.path("env").stringValue());
        if (s.has("file")) return new Secret.FromFile(Path.of(StatePath.normalize(s.path("file").stringValue(), "a path")));
        return new Secret.Literal(s.path("value").stringValue());
    }

    /** rsyncd.conf values: booleans as yes/no, numbers as written. */
    private static Map<String, String> extra(JsonNode extra) {
        Map<String, String> values = new LinkedHashMap<>();
        extra.forEachEntry((name, value) ->
                values.put(name, value.isBoolean() ? (value.booleanValue() ? "yes" : "no") : value.asString()));
        return values;
    }

    /** In its one spelling ({@link StatePath}); the checks have refused what cannot be normalized. */
    private static Path path(JsonNode parent, String key, String fallback) {
        return Path.of(StatePath.normalize(string(parent, key, fallback), "a path"));
    }

    private static String string(JsonNode parent, String key, String fallback) {
        JsonNode value = parent.path(key);
        return value.isString() ? value.stringValue() : fallback;
    }

    private static Optional<String> optional(JsonNode parent, String key) {
        return Optional.ofNullable(string(parent, key, null));
    }

    private static Duration duration(JsonNode parent, String key, String fallback) {
        JsonNode value = parent.path(key);
        return Durations.parse(value.isMissingNode() ? fallback : value.asString());
    }

    private static List<String> strings(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(v.stringValue()));
        return values;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode parent, String key, String fallback) {
        return constant(type, string(parent, key, fallback));
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name) {
        return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
    }
}
