package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BinderTest {

    /** The smallest state with every section present: everything else is a default. */
    static final String MINIMAL = """
            version: 1
            server:
              modules: [{ name: m, path: /m }]
            client: {}
            watches: [{ name: w, source: /w, targets: [{ url: /t }] }]
            """;

    static JsonNode schema() throws Exception {
        try (InputStream in = StateFile.class.getResourceAsStream(StateFile.SCHEMA_RESOURCE)) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                row("/properties/settings/properties/state_dir", s -> s.settings().stateDir()),
                row("/properties/settings/properties/status_file", s -> s.settings().statusFile()),
                row("/properties/settings/properties/control_socket", s -> s.settings().controlSocket()),
                row("/properties/settings/properties/log/properties/level", s -> s.settings().logLevel()),
                row("/properties/settings/properties/inotify/properties/ensure", s -> s.settings().inotify().ensure()),
                row("/properties/settings/properties/inotify/properties/max_user_watches", s -> s.settings().inotify().maxUserWatches()),
                row("/properties/settings/properties/inotify/properties/max_queued_events", s -> s.settings().inotify().maxQueuedEvents()),
                row("/properties/settings/properties/inotify/properties/max_user_instances", s -> s.settings().inotify().maxUserInstances()),
                row("/properties/settings/properties/inotify/properties/sysctl_file", s -> s.settings().inotify().sysctlFile()),
                row("/properties/settings/properties/watch_backend", s -> s.settings().watchBackend()),
                row("/properties/server/properties/config_file", s -> server(s).configFile()),
                row("/properties/server/properties/secrets_file", s -> server(s).secretsFile()),
                row("/properties/server/properties/pid_file", s -> server(s).pidFile()),
                row("/properties/server/properties/lock_file", s -> server(s).lockFile()),
                row("/properties/server/properties/log_file", s -> server(s).logFile()),
                row("/properties/server/properties/port", s -> server(s).port()),
                row("/properties/server/properties/address", s -> server(s).address()),
                row("/properties/server/properties/run_as", s -> server(s).runAs()),
                row("/properties/server/properties/use_chroot", s -> server(s).useChroot()),
                row("/properties/server/properties/max_connections", s -> server(s).maxConnections()),
                row("/properties/server/properties/timeout", s -> server(s).timeout()),
                row("/properties/server/properties/daemon/properties/manage", s -> server(s).daemon().manage()),
                row("/properties/server/properties/daemon/properties/systemd_unit", s -> server(s).daemon().systemdUnit()),
                row("/properties/server/properties/extra", s -> server(s).extra()),
                row("/properties/server/properties/users", s -> server(s).users()),
                row(MODULE + "comment", s -> module(s).comment()),
                row(MODULE + "mode", s -> String.format("%04o", module(s).mode())),
                row(MODULE + "read_only", s -> module(s).readOnly()),
                row(MODULE + "write_only", s -> module(s).writeOnly()),
                row(MODULE + "list", s -> module(s).list()),
                row(MODULE + "auth_users", s -> module(s).authUsers()),
                row(MODULE + "hosts_allow", s -> module(s).hostsAllow()),
                row(MODULE + "hosts_deny", s -> module(s).hostsDeny()),
                row(MODULE + "max_connections", s -> module(s).maxConnections()),
                row(MODULE + "timeout", s -> module(s).timeout()),
                row(MODULE + "refuse_options", s -> module(s).refuseOptions()),
                row(MODULE + "ignore_errors", s -> module(s).ignoreErrors()),
                row(MODULE + "fake_super", s -> module(s).fakeSuper()),
                row(MODULE + "exclude", s -> module(s).exclude()),
                row(MODULE + "transfer_logging", s -> module(s).transferLogging()),
                row(MODULE + "extra", s -> module(s).extra()),
                row(MODULE + "history", s -> module(s).history().isPresent()),
                row(WATCH + "targets/items/properties/history", s -> watch(s).targets().get(0).history().isPresent()),
                row("/properties/client/properties/password_files", s -> s.client().orElseThrow().passwordFiles()),
                row(WATCH + "events", s -> watch(s).events()),
                row(WATCH + "delay", s -> watch(s).delay()),
                row(WATCH + "max_delays", s -> watch(s).maxDelays()),
                row(WATCH + "max_processes", s -> watch(s).maxProcesses()),
                row(WATCH + "delete", s -> watch(s).delete()),
                row(WATCH + "exclude", s -> watch(s).exclude()),
                row(WATCH + "init", s -> watch(s).init()),
                row(WATCH + "full_sync_interval", s -> watch(s).fullSyncInterval()),
                row(WATCH + "max_delete", s -> watch(s).maxDelete().percent() + "%"),
                row(WATCH + "audit_interval", s -> watch(s).auditInterval()),
                row(WATCH + "rsync/properties/compress", s -> watch(s).rsync().compress()),
                row(WATCH + "rsync/properties/bwlimit_kbps", s -> watch(s).rsync().bwlimitKbps()),
                row(WATCH + "rsync/properties/timeout", s -> watch(s).rsync().timeout()),
                row(WATCH + "rsync/properties/checksum", s -> watch(s).rsync().checksum()),
                row(WATCH + "rsync/properties/extra", s -> watch(s).rsync().extra()));
    }

    static final String MODULE = "/properties/server/properties/modules/items/properties/";
    static final String WATCH = "/properties/watches/items/properties/";

    static Arguments row(String pointer, Function<State, Object> model) {
        return Arguments.of(pointer, model);
    }

    static Server server(State s) { return s.server().orElseThrow(); }
    static Server.Module module(State s) { return server(s).modules().get(0); }
    static Watch watch(State s) { return s.watches().get(0); }

    /** The defaults the schema documents are the ones the model gets. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("defaults")
    void theModelTakesTheDefaultTheSchemaDocuments(String pointer, Function<State, Object> model) throws Exception {
        JsonNode documented = schema().at(pointer).path("default");
        Object bound = model.apply(StateFileTest.valid(MINIMAL));
        assertEquals(inModelTerms(documented, bound), bound, pointer);
    }

    /** A schema default as the model holds it. */
    private static Object inModelTerms(JsonNode value, Object like) {
        if (like instanceof Path) return Path.of(value.stringValue());
        if (like instanceof Duration) return Durations.parse(value.asString());
        if (like instanceof Enum<?> e) return Enum.valueOf(e.getDeclaringClass(), value.asString().toUpperCase());
        if (like instanceof Integer) return value.intValue();
        if (like instanceof Long) return value.longValue();
        if (like instanceof Map) return Map.of();
        if (like instanceof List) return List.of();
        if (like instanceof java.util.Set<?> set && set.iterator().next() instanceof Watch.Event) {
            EnumSet<Watch.Event> events = EnumSet.noneOf(Watch.Event.class);
            value.forEach(v -> events.add(Watch.Event.valueOf(v.stringValue().toUpperCase())));
            return events;
        }
        if (like instanceof Boolean && value.isIntegralNumber()) return value.longValue() != 0;
        if (like instanceof Boolean) return value.booleanValue();
        return value.stringValue();
    }

    @Test
    void everyValueGivenReachesTheModel() throws Exception {
        State s = StateFileTest.valid("""
                version: 1
                settings: { state_dir: /s, log: { level: debug }, inotify: { ensure: raise, max_user_watches: 10, sysctl_file: /etc/x.conf },
                            watch_backend: fanotify }
                server:
                  port: 1873
                  use_chroot: false
                  timeout: 0
                  modules:
                    - { name: m, path: /m, mode: "0750", uid: nobody, gid: nogroup, use_chroot: true, incoming_chmod: "Fu=rw",
                        auth_users: [u, { name: v, access: ro }], extra: { munge symlinks: false, max verbosity: 2 } }
                  users: [{ name: u, password: { env: PW } }, { name: v, password: { file: /etc/pw } }]
                watches:
                  - name: w
                    source: /w
                    targets: [{ url: "rsync://u@h:1873/m/sub", name: backup, password: { env: PW } }]
                    events: [create]
                    delete: startup
                    max_delete: "25%"
                    rsync: { compress: true, bwlimit_kbps: 100, timeout: 30s, checksum: true, extra: [--numeric-ids] }
                """);
        assertEquals(Path.of("/s/status.json"), s.settings().statusFile());
        assertEquals(Settings.LogLevel.DEBUG, s.settings().logLevel());
        assertEquals(new InotifyLimits(InotifyLimits.Ensure.RAISE, 10, 0, 0, Path.of("/etc/x.conf")), s.settings().inotify());
        assertEquals(Settings.WatchBackend.FANOTIFY, s.settings().watchBackend());
        Server.Module m = module(s);
        assertEquals(0750, m.mode());
        assertEquals(Optional.of("nobody"), m.uid());
        assertEquals(Optional.of(true), m.useChroot());
        assertEquals(Optional.of("Fu=rw"), m.incomingChmod());
        assertEquals(List.of(new Server.AuthUser("u", Server.AuthUser.Access.DEFAULT),
                new Server.AuthUser("v", Server.AuthUser.Access.RO)), m.authUsers());
        assertEquals(Map.of("munge symlinks", "no", "max verbosity", "2"), m.extra());
        assertEquals(Duration.ZERO, server(s).timeout());
        Watch w = watch(s);
        assertEquals(new Target("backup", new Target.Daemon("u", "h", 1873, "m", "sub"), Optional.empty(),
                Optional.of(new Secret.Env("PW"))), w.targets().get(0));
        assertEquals(EnumSet.of(Watch.Event.CREATE), w.events());
        assertEquals(Watch.DeleteMode.STARTUP, w.delete());
        assertEquals(new Watch.DeleteGuard(0, 25), w.maxDelete());
        assertEquals(new Watch.RsyncOptions(true, 100, Duration.ofSeconds(30), true, List.of("--numeric-ids")), w.rsync());
    }

    @Test
    void historyAndItsRetentionReachTheModel() throws Exception {
        State s = StateFileTest.valid("""
                version: 1
                server:
                  modules: [{ name: m, path: /m, history: { keep: 30d } }, { name: n, path: /n, history: true }]
                watches:
                  - name: w
                    source: /w
                    targets:
                      - { url: /a, history: { keep: 12h, max_versions: 5, max_size: 10GiB } }
                      - { url: /b, history: true }
                      - { url: /c, history: false }
                      - { url: /d, history: { max_size: 1048576 } }
                      - { url: /e }
                """);
        List<Target> t = watch(s).targets();
        assertEquals(Optional.of(new Retention(Duration.ofHours(12), 5, 10L << 30)), t.get(0).history());
        assertEquals(Optional.of(Retention.FOREVER), t.get(1).history());
        assertEquals(Optional.empty(), t.get(2).history());
        assertEquals(Optional.of(new Retention(Duration.ZERO, 0, 1048576)), t.get(3).history());
        assertEquals(Optional.empty(), t.get(4).history());
        assertEquals(Optional.of(new Retention(Duration.ofDays(30), 0, 0)), module(s).history());
        assertEquals(Optional.of(Retention.FOREVER), server(s).modules().get(1).history());
        State rerooted = Reroot.apply(s, Path.of("/scratch"));
        assertEquals(t.get(0).history(), watch(rerooted).targets().get(0).history());
        assertEquals(module(s).history(), module(rerooted).history());
    }

    @Test
    void aCountGuardsDeletesByNumber() throws Exception {
        String yaml = MINIMAL.replace("targets: [{ url: /t }] }", "targets: [{ url: /t }], max_delete: 1000, delete: false }");
        assertEquals(new Watch.DeleteGuard(1000, 0), watch(StateFileTest.valid(yaml)).maxDelete());
        assertEquals(Watch.DeleteMode.FALSE, watch(StateFileTest.valid(yaml)).delete());
    }
}
