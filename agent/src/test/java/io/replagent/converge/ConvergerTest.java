package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import io.replagent.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Diagnostic;
import io.replagent.state.InotifyLimits;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.state.Secret;
import io.replagent.state.Server;
import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.system.Host;
import io.replagent.system.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both roles end to end against the real parts: a system user, a real rsync daemon on 127.0.0.1 and a free port,
 * real rsync clients pushing with the converged password file.
 */
@Tag("e2e")
class ConvergerTest {

    @TempDir Path root;
    private final Fixtures.TestUsers users = new Fixtures.TestUsers();
    private final Processes processes = new Processes();
    private Host host;
    private int port;

    @AfterEach void cleanUp() throws IOException {
        Fixtures.stopDaemon(root.resolve("run/rsyncd.pid"));
        users.close();
    }

    private State bothRoles(String runAs, int port) {
        State server = Fixtures.backupServer(root, runAs, port);
        return new State(1, server.settings(), server.server(), Optional.of(Fixtures.client(root)), List.of());
    }

    private Processes.Result push(Path source, String module, List<String> options, Map<String, String> env) throws IOException {
        List<String> argv = new ArrayList<>(List.of("rsync", "-rt", "--timeout=20"));
        argv.addAll(options);
        argv.add(source + "/");
        argv.add("rsync://rsync_backup@127.0.0.1:" + port + "/" + module + "/");
        return processes.run(argv, env, Duration.ofSeconds(30));
    }

    /** Converges a state in one apply; a second plan of the same state, by a fresh converger too, is empty. */
    private Converger oneApply(State state, List<String> expectedResources) {
        Converger converger = Converger.of(state, host);
        Plan first = converger.plan();
        assertFalse(first.hasErrors(), first.diagnostics().toString());
        assertEquals(expectedResources, List.copyOf(first.byResource().keySet()));
        assertTrue(first.changes().stream().allMatch(c -> c.action() == Action.CREATE), first.changes().toString());
        Converger.Outcome outcome = converger.apply(first, line -> { });
        assertTrue(outcome.ok(), outcome.failed() + ": " + outcome.error());
        assertEquals(List.of(), converger.plan().changes(), "second plan");
        assertEquals(List.of(), Converger.of(state, host).plan().changes(), "a fresh converger agrees");
        return converger;
    }

    @Test void theTutorialChecklistIsOneApplyPerRoleAndTheSecondApplyChangesNothing() throws Exception {
        host = Fixtures.host(root.resolve("proc-sys"));
        String runAs = users.unique();
        port = Ports.free();
        State backupHost = Fixtures.backupServer(root, runAs, port);
        oneApply(backupHost, List.of("user[" + runAs + "]", "directory[" + root.resolve("data") + "]", "directory[" + root.resolve("ro") + "]",
                "file.secrets[" + root.resolve("etc/rsync.password") + "]", "file.rsyncd_conf[" + root.resolve("etc/rsyncd.conf") + "]",
                "daemon[rsyncd]"));
        State sourceHost = new State(1, backupHost.settings(), Optional.empty(), Optional.of(Fixtures.client(root)), List.of());
        Converger converger = oneApply(sourceHost, List.of("file.password[" + root.resolve("etc/rsync.passwd") + "]"));

        assertEquals("rsync_backup:" + Fixtures.PASSWORD + "\n", Files.readString(root.resolve("etc/rsync.password")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/rsync.password"))));
        assertEquals(runAs, Files.getOwner(root.resolve("data")).getName());

        Path source = Files.createDirectories(root.resolve("src"));
        Files.writeString(source.resolve("hello.txt"), "hello\n");
        Path passwordFile = root.resolve("etc/rsync.passwd");
        Processes.Result ok = push(source, "data", List.of("--password-file=" + passwordFile), Map.of());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("hello\n", Files.readString(root.resolve("data/hello.txt")));
        assertEquals(runAs, Files.getOwner(root.resolve("data/hello.txt")).getName(), "the daemon writes as run_as");

        Processes.Result wrongPassword = push(source, "data", List.of(), Map.of("RSYNC_PASSWORD", "wrong"));
        assertEquals(5, wrongPassword.exit(), wrongPassword.err());

        Processes.Result readOnly = push(source, "ro", List.of("--password-file=" + passwordFile), Map.of());
        assertTrue(readOnly.exit() != 0 && readOnly.err().contains("read only"), readOnly.err());
        assertFalse(Files.exists(root.resolve("ro/hello.txt")));

        Processes.Result denied = push(source, "data", List.of("--address=127.0.0.2", "--password-file=" + passwordFile), Map.of());
        assertEquals(5, denied.exit(), denied.err());
        assertTrue(denied.err().contains("access denied"), denied.err());

        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
        Processes.Result refused = push(source, "data", List.of("--password-file=" + passwordFile), Map.of());
        assertTrue(refused.exit() != 0 && refused.err().contains("password file must not be other-accessible"), refused.err());
        Plan repair = converger.plan();
        assertEquals(List.of(Change.of("file.password[" + passwordFile + "]", Action.UPDATE, Reason.SECURITY, "mode", "0644", "0600")),
                repair.changes());
        assertTrue(converger.apply(repair, line -> { }).ok());
        assertEquals(0, push(source, "data", List.of("--password-file=" + passwordFile), Map.of()).exit());
    }

    @Test void eachKindOfDriftIsExactlyOneChange() throws Exception {
        host = Fixtures.host(root.resolve("proc-sys"));
        String runAs = users.unique();
        port = Ports.free();
        State state = bothRoles(runAs, port);
        Converger converger = Converger.of(state, host);
        assertTrue(converger.apply(converger.plan(), line -> { }).ok());

        Path secrets = root.resolve("etc/rsync.password");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of(Change.of("file.secrets[" + secrets + "]", Action.UPDATE, Reason.SECURITY, "mode", "0644", "0600")),
                converger.plan().changes());
        converger.apply(converger.plan(), line -> { });

        Path config = root.resolve("etc/rsyncd.conf");
        Files.writeString(config, Files.readString(config).replace("read only = no", "read only = yes"));
        List<Change> edited = converger.plan().changes();
        assertEquals(1, edited.size(), edited.toString());
        assertEquals(Reason.CONTENT_DRIFT, edited.get(0).reason());
        assertTrue(edited.get(0).detail().containsAll(List.of("-    read only = yes", "+    read only = no")), edited.get(0).detail().toString());
        converger.apply(converger.plan(), line -> { });

        Path data = root.resolve("data");
        Files.setOwner(data, data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        assertEquals(List.of(Change.of("directory[" + data + "]", Action.UPDATE, Reason.OWNER_DRIFT, "owner", "root", runAs)),
                converger.plan().changes());
        converger.apply(converger.plan(), line -> { });

        Files.writeString(secrets, "rsync_backup:old\n");
        List<Change> content = converger.plan().changes();
        assertEquals(1, content.size());
        assertTrue(content.get(0).sensitive() && content.get(0).reason() == Reason.CONTENT_DRIFT && content.get(0).detail().isEmpty());
        converger.apply(converger.plan(), line -> { });
        assertEquals(List.of(), converger.plan().changes());
    }

    @Test void aFailingStepStopsThereAndReportsWhatWasAndWasNotDone() throws Exception {
        host = Fixtures.host(root.resolve("proc-sys"));
        String runAs = users.unique();
        port = Ports.free();
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/rsyncd.conf"), Ownership.HEADER + " (an older version)\n");
        State state = bothRoles(runAs, port);
        Converger converger = Converger.of(state, host);
        Plan plan = converger.plan();
        // between plan and apply, someone turns the config file into a directory: its step must fail
        Files.delete(root.resolve("etc/rsyncd.conf"));
        Files.createDirectories(root.resolve("etc/rsyncd.conf"));
        Converger.Outcome outcome = converger.apply(plan, line -> { });
        assertEquals(Optional.of("file.rsyncd_conf[" + root.resolve("etc/rsyncd.conf") + "]"), outcome.failed());
        assertEquals("changed since the plan was made; run plan again", outcome.error());
        assertEquals(4, outcome.done().size(), outcome.done().toString());
        assertEquals(List.of("daemon[rsyncd]", "file.password[" + root.resolve("etc/rsync.passwd") + "]"), outcome.notDone());
    }

    private static Watch watch(Path source, int maxProcesses, Target.Endpoint... endpoints) {
        List<Target> targets = java.util.Arrays.stream(endpoints).map(e -> new Target("t", e, Optional.empty(), Optional.empty())).toList();
        return new Watch("w", source, targets, Set.of(Watch.Event.CLOSE_WRITE), Duration.ofSeconds(1), 1000, maxProcesses,
                Watch.DeleteMode.TRUE, List.of(), true, new Watch.RsyncOptions(false, 0, Duration.ZERO, false, List.of()),
                Duration.ZERO, Watch.DeleteGuard.NONE, Duration.ZERO, Optional.empty());
    }

    @Test void raisedInotifyLimitsAreWrittenAndPersistedThenConverged() throws Exception {
        Path procSys = root.resolve("proc/sys");
        Files.createDirectories(procSys.resolve("fs/inotify"));
        for (String name : List.of("max_user_watches", "max_user_instances", "max_queued_events"))
            Files.writeString(procSys.resolve("fs/inotify/" + name), "128\n");
        host = Fixtures.host(procSys);
        Path source = Files.createDirectories(root.resolve("src/a/b"));
        Path dropIn = root.resolve("etc/sysctl.d/90-agent-inotify.conf");
        State state = new State(1, Fixtures.settings(root, new InotifyLimits(InotifyLimits.Ensure.RAISE, 8192, 16384, 0, dropIn)),
                Optional.empty(), Optional.empty(), List.of(watch(source, 4, new Target.Local(root.resolve("copy")))));
        Converger converger = Converger.of(state, host);
        Plan plan = converger.plan();
        assertEquals(List.of("sysctl[fs.inotify.max_user_watches]", "sysctl[fs.inotify.max_queued_events]",
                "file.sysctl[" + dropIn + "]"), List.copyOf(plan.byResource().keySet()), plan.changes().toString());
        assertTrue(converger.apply(plan, line -> { }).ok());
        assertEquals("8192", Files.readString(procSys.resolve("fs/inotify/max_user_watches")).strip());
        assertEquals("128", Files.readString(procSys.resolve("fs/inotify/max_user_instances")).strip(), "no requirement: untouched");
        assertEquals(List.of(), converger.plan().changes());
    }

    @Test void aWatchOnFanotifyNeedsNoInotifyWatchesAndOneOnInotifyIsToldWhatItNeeds() throws Exception {
        Path procSys = root.resolve("proc/sys");
        Files.createDirectories(procSys.resolve("fs/inotify"));
        for (String name : List.of("max_user_watches", "max_user_instances", "max_queued_events"))
            Files.writeString(procSys.resolve("fs/inotify/" + name), "2\n");
        host = Fixtures.host(procSys);
        Path source = root.resolve("src");
        Files.createDirectories(source.resolve("a/b"));
        for (Settings.WatchBackend backend : List.of(Settings.WatchBackend.FANOTIFY, Settings.WatchBackend.INOTIFY)) {
            Settings settings = new Settings(root.resolve("var/lib/agent"), root.resolve("var/lib/agent/status.json"),
                    root.resolve("run/agent.sock"), Settings.LogLevel.INFO, Fixtures.checkLimits(), List.of(), backend,
                    Settings.LogFormat.TEXT, Optional.empty());
            State state = new State(1, settings, Optional.empty(), Optional.empty(),
                    List.of(watch(source, 4, new Target.Local(root.resolve("copy")))));
            List<Change> blocked = Converger.of(state, host).plan().changes().stream()
                    .filter(c -> c.action() == Action.BLOCKED).toList();
            if (backend == Settings.WatchBackend.FANOTIFY) {
                assertEquals(List.of(), blocked, "one fanotify mark covers every directory: nothing to check");
            } else {
                assertEquals(List.of("sysctl[fs.inotify.max_user_watches]"), blocked.stream().map(Change::resource).toList());
                assertTrue(blocked.get(0).detail().stream().anyMatch(d -> d.contains("3 directories are watched")), blocked.toString());
            }
        }
    }

    @Test void theDaemonsConnectionCapCoversThePushesToDaemons() {
        Target.Endpoint daemon = new Target.Daemon("u", "127.0.0.1", 873, "data", "");
        assertEquals(8 + 2 * 3, Converger.pushParallelism(List.of(watch(root, 8, daemon, new Target.Local(root)),
                watch(root, 3, daemon, daemon))));
        assertEquals(0, Converger.pushParallelism(List.of()));
    }

    @Test void fileErrorsSayWhatHappenedToWhichPath() {
        assertEquals("no such file or directory: /x", Converger.describe(new java.nio.file.NoSuchFileException("/x")));
        assertEquals("permission denied: /x", Converger.describe(new java.nio.file.AccessDeniedException("/x")));
        assertEquals("useradd: failed", Converger.describe(new IOException("useradd: failed")));
    }

    @Test void unresolvableSecretsAreErrorsNamingTheSourceNeverAValue() {
        host = Fixtures.host(root.resolve("proc-sys"));
        State state = Fixtures.backupServer(root, "nobody", 1);
        Server s = state.server().orElseThrow();
        Server missing = new Server(s.configFile(), s.secretsFile(), s.pidFile(), s.lockFile(), s.logFile(), s.port(), s.address(),
                s.runAs(), s.useChroot(), s.maxConnections(), s.timeout(),
                List.of(new Server.User("a", new Secret.Env("NOT_SET_ANYWHERE")), new Server.User("b", new Secret.Literal("literal-value"))),
                s.modules(), s.daemon(), s.extra());
        Plan plan = Converger.of(new State(1, state.settings(), Optional.of(missing), Optional.empty(), List.of()), host).plan();
        assertTrue(plan.hasErrors());
        List<Diagnostic> errors = plan.diagnostics();
        assertEquals("server.users.a.password: secret env:NOT_SET_ANYWHERE is not set", errors.get(0).toString());
        assertFalse(plan.toString().contains("literal-value"));
    }

    /** The ssh side of a source host: its key planned and output, the key files it does not manage checked, never written. */
    @Test void aClientWithSshTargetsPlansItsKeyAndChecksTheFilesItDoesNotManage() {
        host = Fixtures.host(root.resolve("proc-sys"));
        Path key = root.resolve("etc/agent/id_ed25519");
        Path operatorsKey = root.resolve("home/op/id");
        Path knownHosts = root.resolve("etc/agent/known_hosts");
        Target.Endpoint generated = new Target.Ssh("backup", "127.0.0.1", 22, "/",
                new Target.SshAccess(Optional.of(key), List.of(PublicKeyFixture.ED25519), Optional.empty(), Map.of()));
        Target.Endpoint kept = new Target.Ssh("backup", "127.0.0.1", 2222, "/",
                new Target.SshAccess(Optional.of(operatorsKey), List.of(), Optional.of(knownHosts), Map.of()));
        State state = new State(1, Fixtures.settings(root, Fixtures.checkLimits()), Optional.empty(),
                Optional.of(new io.replagent.state.Client(List.of(), List.of(new io.replagent.state.Client.SshKey(key, true, "")))),
                List.of(watch(root.resolve("src"), 2, generated)));
        Watch w = state.watches().get(0);
        state = new State(1, state.settings(), state.server(), state.client(), List.of(w.withTargets(
                List.of(w.targets().get(0), new Target("kept", kept, Optional.empty(), Optional.empty())))));
        Plan plan = Converger.of(state, host).plan();
        assertEquals(List.of("ssh_key[" + key + "]", "ssh_identity[" + operatorsKey + "]",
                "ssh_known_hosts[" + knownHosts + "]"), List.copyOf(plan.byResource().keySet()));
        assertEquals(List.of(Action.CREATE, Action.BLOCKED, Action.BLOCKED),
                plan.changes().stream().map(Change::action).toList());
        assertEquals(Map.of("ssh_key[" + key + "]", SshKey.KNOWN_AFTER_APPLY), plan.outputs());
        assertFalse(Files.exists(key), "plan writes nothing");
    }
}
