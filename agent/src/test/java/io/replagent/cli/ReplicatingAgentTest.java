package io.replagent.cli;

import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import io.replagent.state.Settings;
import io.replagent.testing.AgentProcess;
import io.replagent.testing.Sshd;
import io.replagent.testing.BothBackends;
import io.replagent.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wiring end to end: `agent apply` as its own process converges a backup server and a source on loopback
 * (re-rooted), replicates, and answers on its control socket; the operator's story from the console's point of view
 * (a target goes down, its error is visible, the daemon is fixed, retry drains the backlog), SIGKILL and restart,
 * and a second agent on the same socket; each on both watch backends.
 */
@org.junit.jupiter.api.Tag("e2e")
class ReplicatingAgentTest {

    static final String PASSWORD = AgentProcess.PASSWORD;

    @TempDir Path root;
    Path state;
    Path source;
    Path backup;
    Path socket;
    final List<AgentProcess> agents = new ArrayList<>();

    @BeforeEach
    void paths() throws IOException {
        source = root.resolve("srv/source");
        backup = root.resolve("srv/backup");
        socket = root.resolve("run/agent/agent.sock");
        Files.createDirectories(source);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AgentProcess agent : agents) agent.close();
        Path pidFile = root.resolve("run/rsyncd.pid");
        if (Files.exists(pidFile)) CliFixture.stopDaemon(pidFile);
    }

    @BothBackends
    void operatorSeesTheTargetDownReadsTheErrorFixesItAndRetryDrainsTheBacklog(Settings.WatchBackend backend) throws Exception {
        state = AgentProcess.writeLoopbackState(root, backend);
        startAgent();
        write("before/a.txt", "replicated while the daemon is up");
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
        assertEquals(0, status().exit(), "healthy: exit 0");

        CliFixture.stopDaemon(root.resolve("run/rsyncd.pid"));
        for (int i = 0; i < 20; i++) write("during/f" + i + ".txt", "written while the target is down " + i);
        JsonNode target = awaitTarget(t -> t.path("failure_count").asInt() > 0);
        String error = target.path("failures").get(0).path("error").asString();
        assertTrue(error.contains("Connection refused (111)"), "rsync's error is shown: " + error);
        CliFixture.Run degraded = status();
        assertEquals(ExitCode.DEGRADED, degraded.exit(), degraded.out());
        assertTrue(degraded.out().contains("path(s) in the failure queue"), degraded.out());

        // the fix: converge again, which finds the daemon not running and starts it
        CliFixture.Run fixed = run("apply", state.toString(), "--root", root.toString(), "--auto-approve", "--converge-only");
        assertEquals(0, fixed.exit(), fixed.err());
        try (ControlClient client = ControlClient.connect(socket)) {
            client.call("retry", ControlClient.args().put("target", "src/backup"));
        }
        Trees.awaitEqual(source, backup, Duration.ofSeconds(30));
        awaitTarget(t -> t.path("failure_count").asInt() == 0 && t.path("queue_depth").asInt() == 0);
        assertEquals(0, status().exit(), "healthy again");
    }

    @BothBackends
    void pauseResumeAndSyncGoThroughTheSocket(Settings.WatchBackend backend) throws Exception {
        state = AgentProcess.writeLoopbackState(root, backend);
        startAgent();
        try (ControlClient client = ControlClient.connect(socket)) {
            client.call("pause", ControlClient.args().put("target", "backup"));
            awaitTarget(t -> t.path("state").asString().equals("paused"));
            long batches = awaitTarget(t -> true).path("batches").asLong();
            write("paused.txt", "waits");
            // waiting ten times the watch's delay (100 ms): an ignored pause would have pushed it by then
            JsonNode waiting = awaitTarget(t -> t.path("queue_depth").asInt() == 1 && t.path("oldest_pending_s").asDouble() >= 1.0);
            assertFalse(Files.exists(backup.resolve("paused.txt")), "nothing is pushed while paused");
            assertEquals(batches, waiting.path("batches").asLong(), "no batch ran while paused");
            assertEquals("operator", waiting.path("pause_reason").asString());
            assertEquals(ExitCode.DEGRADED, status().exit());
            client.call("resume", ControlClient.args().put("target", "src/backup"));
            Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
            JsonNode audit = client.call("audit", ControlClient.args().put("target", "src/backup"));
            assertEquals("clean", audit.path("src/backup").path("result").asString(), audit.toString());
            ControlException unknown = org.junit.jupiter.api.Assertions.assertThrows(ControlException.class,
                    () -> client.call("pause", ControlClient.args().put("target", "nosuch")));
            assertTrue(unknown.getMessage().contains("targets: src/backup"), unknown.getMessage());
            String config = client.call("config", null).toString();
            assertFalse(config.contains(PASSWORD), "config is redacted");
            assertTrue(config.contains("env:E2E_PASSWORD"), config);
            JsonNode doctor = client.call("doctor", null);
            assertTrue(doctor.toString().contains("reachable and authenticated"), doctor.toString());
        }
        assertFalse(Files.readString(root.resolve("agent-0.log")).contains(PASSWORD), "no password in the log");
    }

    @BothBackends
    void sigkillThenRestartLosesNothingAndSigtermStopsCleanly(Settings.WatchBackend backend) throws Exception {
        state = AgentProcess.writeLoopbackState(root, backend);
        Process first = startAgent();
        write("one.txt", "first");
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
        first.destroyForcibly();
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        assertTrue(Files.exists(socket), "a killed agent leaves its socket behind");

        write("while-dead/two.txt", "written while no agent ran");
        Files.delete(source.resolve("one.txt"));

        Process second = startAgent(); // replaces the stale socket; its initial sync covers the gap
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));

        CliFixture.Run again = run("apply", state.toString(), "--root", root.toString(), "--auto-approve");
        assertEquals(ExitCode.ERROR, again.exit());
        assertTrue(again.err().contains("another agent is already replicating this state")
                && again.err().contains("held by pid " + second.pid()), again.err());

        second.destroy(); // SIGTERM
        assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        assertFalse(Files.exists(socket), "a clean stop removes the socket");
    }

    /**
     * #10 defect 2: deletes queued while a target was paused are still counted by max_delete after kill -9 and a
     * restart (init: false, so only the restored queue can push them).
     */
    @BothBackends
    void restoredDeletesStillCountTowardMaxDeleteAfterKill9(Settings.WatchBackend backend) throws Exception {
        state = AgentProcess.writeLoopbackState(root, backend);
        String original = Files.readString(state);
        Files.writeString(state, original.replace("    delay: 100ms\n", "    delay: 100ms\n    max_delete: 5\n"));
        for (int i = 0; i < 20; i++) write("f" + i, "backed up " + i);
        Process first = startAgent();
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
        try (ControlClient client = ControlClient.connect(socket)) {
            client.call("pause", ControlClient.args().put("target", "src/backup"));
        }
        for (int i = 0; i < 10; i++) Files.delete(source.resolve("f" + i));
        Path queue = root.resolve("var/lib/agent/queue/src@backup");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(queue) && Files.readString(queue, java.nio.charset.StandardCharsets.ISO_8859_1).split("D-").length == 11)) {
            assertTrue(System.nanoTime() < deadline, "the paused target's queue saved with its 10 deletes");
            Thread.sleep(100);
        }
        first.destroyForcibly(); // kill -9: nothing is saved on the way out
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        Files.writeString(state, original.replace("    delay: 100ms\n", "    delay: 100ms\n    max_delete: 5\n    init: false\n"));
        AgentProcess second = AgentProcess.start(state, root, socket, AgentProcess.ENV, root.resolve("agent-1.log"), false);
        agents.add(second);
        JsonNode held = awaitTarget(t -> t.path("pause_reason").asString("").equals("mass_delete"));
        assertTrue(held.path("alert").asString().startsWith("mass delete held: 10 deletes in one batch"), held.toString());
        assertEquals(20, Trees.countFiles(backup), "the target still holds them");
    }

    /**
     * The watch limit, hit for real: in a user namespace of its own (so nothing else on the machine is affected) the
     * agent may hold 3 watches and the tree has 6 directories. apply must stop with an error naming the setting,
     * never replicate with directories silently unwatched.
     */
    @Test
    void watchLimitIsAClearErrorNamingTheSetting() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("unshare", "-U", "-r", "true").start().waitFor() == 0,
                "user namespaces are available");
        Files.createDirectories(source.resolve("a/b/c/d/e"));
        Path localState = root.resolve("local.yaml");
        Files.writeString(localState, """
                version: 1
                settings: { state_dir: /var/lib/agent, control_socket: /run/agent/agent.sock }
                watches:
                  - { name: src, source: /srv/source, targets: [ { url: /srv/copy } ] }
                """);
        List<String> command = new ArrayList<>(List.of("unshare", "-U", "-r", "/bin/sh", "-c",
                "echo 3 > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\""));
        command.addAll(AgentProcess.javaCommand(List.of("apply", localState.toString(), "--root", root.toString(), "--auto-approve")));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(agent.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "exits");
        assertEquals(ExitCode.ERROR, agent.exitValue(), output);
        assertTrue(output.contains("fs.inotify.max_user_watches") && output.contains("needs 6 watches")
                && output.contains("settings.inotify.max_user_watches"), output);
    }

    // ---- over ssh: the backup host's restricted account and the source's ssh target, against a real sshd

    /** What an ssh pair is made of: the test's sshd, the account's user, the two state files. */
    private record SshPair(Sshd sshd, String user, Path client, Path server, Path key) {}

    private final List<String> sshUsers = new ArrayList<>();

    @AfterEach
    void deleteSshUsers() throws Exception {
        for (String user : sshUsers) CliFixture.deleteUser(user);
    }

    /** The client's state: its key generated by client.ssh_keys, one watch to the account, {@code extra} in the target. */
    private static String sshClient(String user, int port, String targetKeys) {
        return """
                version: 1
                settings: { state_dir: /var/lib/agent, status_file: /var/lib/agent/status.json, control_socket: /run/agent/agent.sock }
                client:
                  ssh_keys: [ { path: /etc/agent/id_ed25519 } ]
                watches:
                  - name: src
                    source: /srv/source
                    targets: [ { name: backup, url: "ssh://%s@127.0.0.1:%d/", %s } ]
                    delay: 100ms
                    exclude: ["*.tmp"]
                """.formatted(user, port, targetKeys);
    }

    /**
     * The operator's order: the source host's apply makes its key (plan's outputs show the public half), the backup
     * host's state lists it in its account, its apply makes the account; both through the real CLI, re-rooted.
     */
    private SshPair sshPair(Sshd sshd) throws Exception {
        String user = "agtssh" + Long.toHexString(System.nanoTime() & 0xffffffL);
        sshUsers.add(user);
        Path client = root.resolve("client.yaml");
        Files.writeString(client, sshClient(user, sshd.port(), "identity_file: /etc/agent/id_ed25519, host_key: \"" + sshd.hostKey() + "\""));
        CliFixture.Run made = run("apply", client.toString(), "--root", root.toString(), "--auto-approve", "--converge-only");
        assertEquals(0, made.exit(), made.err());
        Path key = root.resolve("etc/agent/id_ed25519");
        String publicKey = Files.readString(Path.of(key + ".pub")).strip();
        CliFixture.Run plan = run("plan", client.toString(), "--root", root.toString(), "--json");
        assertTrue(plan.out().contains("\"type\":\"outputs\"") && plan.out().contains(publicKey), plan.out());
        Path server = root.resolve("server.yaml");
        Files.writeString(server, """
                version: 1
                settings: { state_dir: /var/lib/agent-server, status_file: /var/lib/agent-server/status.json, control_socket: /run/agent/server.sock }
                server:
                  ssh_accounts: [ { user: %s, path: /srv/backup, authorized_keys: ["%s"] } ]
                """.formatted(user, publicKey));
        CliFixture.Run account = run("apply", server.toString(), "--root", root.toString(), "--auto-approve", "--converge-only");
        assertEquals(0, account.exit(), account.err());
        return new SshPair(sshd, user, client, server, key);
    }

    /** The base64 lines of a private key: none may ever show in argv, environments, logs, status or plan. */
    private static List<String> keyLines(Path key) throws IOException {
        return Files.readAllLines(key).stream().filter(l -> !l.startsWith("-----") && l.length() >= 40).toList();
    }

    /** Every process's argv and environment, read now: the lines of {@code secrets} found in them. */
    private static List<String> inProcesses(List<String> secrets) {
        List<String> found = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                for (String file : List.of("cmdline", "environ")) {
                    try {
                        String text = new String(Files.readAllBytes(p.resolve(file)), java.nio.charset.StandardCharsets.ISO_8859_1);
                        for (String secret : secrets) if (text.contains(secret)) found.add(p + "/" + file);
                    } catch (IOException gone) {
                        // exited meanwhile
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    /**
     * The backup host's doctor runs each account's forced command as sshd would for one of its keys: rsync through it
     * works and a shell is refused; with the account's directory gone, or a forced command that runs what it is given
     * (an rrsync earlier in PATH that is a shell), it fails and says why.
     */
    @Test
    void theBackupHostsDoctorRunsEachAccountsForcedCommandAsSshdWould() throws Exception {
        Sshd.traversable(root);
        try (Sshd sshd = Sshd.start(root.resolve("sshd"))) {
            SshPair pair = sshPair(sshd);
            CliFixture.Run ok = run("doctor", pair.server().toString(), "--root", root.toString(), "--json");
            List<String> okRules = DoctorCommandTest.rules(ok);
            assertTrue(okRules.contains("ssh_account.ok ok"), okRules + "\n" + ok.err());
            assertFalse(okRules.stream().anyMatch(r -> r.startsWith("sshd.missing")), "our sshd runs: " + okRules);

            Path fakeBin = Files.createDirectories(root.resolve("fake-bin"));
            Path shell = Files.writeString(fakeBin.resolve("rrsync"), "#!/bin/sh\nexec sh -c \"$SSH_ORIGINAL_COMMAND\"\n");
            Files.setPosixFilePermissions(shell, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Map<String, String> env = new java.util.HashMap<>(AgentProcess.ENV);
            env.put("PATH", fakeBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            CliFixture.Run opened = CliFixture.run(List.of("doctor", pair.server().toString(), "--root", root.toString(), "--json"),
                    "", false, env);
            assertEquals(1, opened.exit(), opened.out());
            assertTrue(DoctorCommandTest.rules(opened).contains("ssh_account.shell_runs fail") && opened.out().contains("uid="), opened.out());

            try (var walk = Files.walk(root.resolve("srv/backup"))) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
            CliFixture.Run gone = run("doctor", pair.server().toString(), "--root", root.toString(), "--json");
            assertEquals(1, gone.exit(), gone.out());
            assertTrue(DoctorCommandTest.rules(gone).contains("ssh_account.rsync_fails fail"), gone.out());
        }
    }

    @Test
    void overSshABackupAccountAndASourceTargetReplicateBurstsRenamesDeletesExcludesAndHostileNames() throws Exception {
        Sshd.traversable(root);
        try (Sshd sshd = Sshd.start(root.resolve("sshd"))) {
            SshPair pair = sshPair(sshd);
            List<String> secrets = keyLines(pair.key());
            java.util.concurrent.atomic.AtomicReference<List<String>> leaks = new java.util.concurrent.atomic.AtomicReference<>(List.of());
            java.util.concurrent.atomic.AtomicBoolean scanning = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread scan = new Thread(() -> { // as the fault suite does: /proc of every process, every 50 ms, while it runs
                while (scanning.get() && leaks.get().isEmpty()) {
                    leaks.set(inProcesses(secrets));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            scan.start();
            AgentProcess agent = AgentProcess.start(pair.client(), root, socket, AgentProcess.ENV, root.resolve("agent-ssh.log"));
            agents.add(agent);
            try {
                java.util.Random random = new java.util.Random(13);
                for (int d = 0; d < 10; d++) for (int f = 0; f < 100; f++) write("burst/d" + d + "/f" + f, "burst " + d + "/" + f);
                for (String name : List.of("-e x", "--rsh=touch PWNED", "new\nline", "sp ace", "q'uote\"", "*?[x]", "back\\slash",
                        "; semi", "#hash", "\u00e9t\u00e9 \u2603")) write("hostile/" + name, name);
                byte[] big = new byte[64 * 1024];
                for (int f = 0; f < 100; f++) {
                    random.nextBytes(big);
                    Path file = source.resolve("big/f" + f);
                    Files.createDirectories(file.getParent());
                    Files.write(file, big);
                }
                Trees.awaitEqual(source, backup, Duration.ofSeconds(60));
                long before = awaitTarget(t -> t.path("state").asString().equals("idle")).path("bytes_sent").asLong();
                Files.move(source.resolve("big"), source.resolve("big renamed"));
                Trees.awaitEqual(source, backup, Duration.ofSeconds(60));
                long sent = awaitTarget(t -> t.path("state").asString().equals("idle")).path("bytes_sent").asLong() - before;
                assertTrue(sent < 0.05 * 100 * big.length, "a renamed directory of 6.4 MiB cost " + sent + " bytes");
                System.out.println("over ssh: a renamed directory of " + 100 * big.length + " bytes sent " + sent + " bytes");

                for (int f = 0; f < 50; f++) Files.delete(source.resolve("burst/d0/f" + f));
                Files.writeString(source.resolve("scratch.tmp"), "excluded");
                write("after-exclude.txt", "sent after the excluded file");
                Trees.awaitEqual(source.resolve("burst"), backup.resolve("burst"), Duration.ofSeconds(60));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!Files.exists(backup.resolve("after-exclude.txt"))) {
                    assertTrue(System.nanoTime() < deadline, "the file after the excluded one arrives");
                    Thread.sleep(50);
                }
                assertFalse(Files.exists(backup.resolve("scratch.tmp")), "excluded");
                Files.delete(source.resolve("scratch.tmp"));
                Trees.awaitEqual(source, backup, Duration.ofSeconds(60));
                try (var found = Files.find(root, 20, (p, a) -> p.getFileName().toString().startsWith("PWNED"))) {
                    assertEquals(List.of(), found.toList(), "a name never runs as a command");
                }

                JsonNode target = awaitTarget(t -> t.path("state").asString().equals("idle"));
                assertEquals("ssh", target.path("transport").asString(), target.toString());
                String fingerprint = io.replagent.state.PublicKey.parse(sshd.hostKey()).fingerprint();
                assertEquals(fingerprint, target.path("ssh").path("host_key").asString(), target.toString());
                assertEquals(fingerprint, target.path("ssh").path("pinned").get(0).asString());
                assertTrue(target.path("ssh").path("last_handshake").isString(), target.toString());
                long batches = target.path("batches").asLong();
                assertTrue(batches >= 5 && sshd.logins(pair.user()) <= 2, batches + " batches, " + sshd.logins(pair.user())
                        + " logins: one connection shared");
                System.out.println("over ssh: " + batches + " batches, " + sshd.logins(pair.user()) + " login(s)");
                CliFixture.Run status = status();
                assertTrue(status.out().contains("ssh, host key " + fingerprint), status.out());
                try (ControlClient client = ControlClient.connect(socket)) {
                    String doctor = client.call("doctor", null).toString();
                    assertTrue(doctor.contains("ssh, host key " + fingerprint + " (pinned by host_key), last handshake"), doctor);
                    assertTrue(doctor.contains("reachable and authenticated"), doctor);
                }
            } finally {
                scanning.set(false);
                scan.join();
            }
            assertEquals(List.of(), leaks.get(), "the private key in a process's argv or environment");
            List<String> outputs = new ArrayList<>(List.of(agent.log(), Files.readString(root.resolve("var/lib/agent/status.json")),
                    status().out(), run("status", "--socket", socket.toString(), "--json").out(),
                    run("plan", pair.client().toString(), "--root", root.toString()).out(),
                    run("plan", pair.client().toString(), "--root", root.toString(), "--json").out()));
            try (var files = Files.walk(root.resolve("var/lib/agent"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) outputs.add(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            for (String out : outputs) for (String secret : secrets) assertFalse(out.contains(secret), "the private key in an output");
        }
    }

    @Test
    void overSshAWrongHostKeyAWrongIdentityOrARotatedKeyPausesTheTargetNamingCauseAndFixAndSendsNothing() throws Exception {
        Sshd.traversable(root);
        try (Sshd sshd = Sshd.start(root.resolve("sshd"))) {
            SshPair pair = sshPair(sshd);
            write("a.txt", "never sent to a host that is not the pinned one");
            String other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKTGa8NDwOUdz0K9h8PA2IyuYFf2YVEF0vzUBn5oQkra";
            Files.writeString(pair.client(), sshClient(pair.user(), sshd.port(), "identity_file: /etc/agent/id_ed25519, host_key: \"" + other + "\""));
            AgentProcess agent = AgentProcess.start(pair.client(), root, socket, AgentProcess.ENV, root.resolve("agent-hostkey.log"), false);
            agents.add(agent);
            JsonNode paused = awaitTarget(t -> t.path("state").asString().equals("paused"));
            assertEquals("error", paused.path("pause_reason").asString());
            assertTrue(paused.path("alert").asString().contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                    && paused.path("alert").asString().contains("pin its new key"), paused.toString());
            assertEquals(0, sshd.logins(pair.user()), "no login");
            assertFalse(Files.exists(backup.resolve("a.txt")), "nothing sent");
            CliFixture.Run degraded = status();
            assertEquals(ExitCode.DEGRADED, degraded.exit(), degraded.out());
            assertTrue(degraded.out().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), degraded.out());
            agent.close();

            Path otherKey = root.resolve("etc/agent/other_id");
            assertEquals(0, new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString()).start().waitFor());
            Files.writeString(pair.client(), sshClient(pair.user(), sshd.port(), "identity_file: /etc/agent/other_id, host_key: \"" + sshd.hostKey() + "\""));
            agent = AgentProcess.start(pair.client(), root, socket, AgentProcess.ENV, root.resolve("agent-identity.log"), false);
            agents.add(agent);
            paused = awaitTarget(t -> t.path("state").asString().equals("paused"));
            assertTrue(paused.path("alert").asString().contains("Permission denied (publickey)")
                    && paused.path("alert").asString().contains("authorized_keys"), paused.toString());
            assertFalse(Files.exists(backup.resolve("a.txt")), "nothing sent");
            agent.close();

            // the host's key rotated under a running agent: paused; the state pins the new key; the restart drains
            Files.writeString(pair.client(), sshClient(pair.user(), sshd.port(), "identity_file: /etc/agent/id_ed25519, host_key: \"" + sshd.hostKey() + "\""));
            agent = AgentProcess.start(pair.client(), root, socket, AgentProcess.ENV, root.resolve("agent-rotated.log"));
            agents.add(agent);
            Trees.awaitEqual(source, backup, Duration.ofSeconds(30));
            sshd.stop();
            sshd.newHostKey();
            sshd.start();
            write("b.txt", "written after the rotation");
            paused = awaitTarget(t -> t.path("state").asString().equals("paused"));
            assertTrue(paused.path("alert").asString().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), paused.toString());
            assertFalse(Files.exists(backup.resolve("b.txt")), "nothing sent to the rotated key");
            agent.close();
            Files.writeString(pair.client(), sshClient(pair.user(), sshd.port(), "identity_file: /etc/agent/id_ed25519, host_key: \"" + sshd.hostKey() + "\""));
            agents.add(AgentProcess.start(pair.client(), root, socket, AgentProcess.ENV, root.resolve("agent-pinned.log")));
            Trees.awaitEqual(source, backup, Duration.ofSeconds(30));

            // refused before anything runs: a key others can read, a target that pins nothing
            Files.setPosixFilePermissions(otherKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(pair.client(), sshClient(pair.user(), sshd.port(), "identity_file: /etc/agent/other_id, host_key: \"" + sshd.hostKey() + "\""));
            CliFixture.Run readable = run("plan", pair.client().toString(), "--root", root.toString());
            assertEquals(ExitCode.ERROR, readable.exit());
            assertTrue(readable.err().contains("identity file /etc/agent/other_id is mode 0644: others can read the private key"), readable.err());
            Files.writeString(pair.client(), sshClient(pair.user(), sshd.port(), "identity_file: /etc/agent/id_ed25519"));
            CliFixture.Run unpinned = run("validate", pair.client().toString());
            assertEquals(ExitCode.ERROR, unpinned.exit());
            assertTrue(unpinned.err().contains("pins no host key"), unpinned.err());
        }
    }

    // ---- helpers

    private Process startAgent() throws Exception {
        AgentProcess agent = AgentProcess.start(state, root, socket, AgentProcess.ENV,
                root.resolve("agent-" + agents.size() + ".log"));
        agents.add(agent);
        return agent.process();
    }

    private JsonNode awaitTarget(Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode target = null;
        while (System.nanoTime() < deadline) {
            try (ControlClient client = ControlClient.connect(socket)) {
                target = client.call("status", null).path("watches").get(0).path("targets").get(0);
            }
            if (condition.test(target)) return target;
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met in 30 s; last: " + target);
    }

    private CliFixture.Run status() {
        return run("status", "--socket", socket.toString());
    }

    private CliFixture.Run run(String... args) {
        return CliFixture.run(List.of(args), "", false, AgentProcess.ENV);
    }

    private void write(String relative, String content) throws IOException {
        Path file = source.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
