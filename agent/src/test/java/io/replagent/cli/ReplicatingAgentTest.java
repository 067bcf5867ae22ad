package io.replagent.cli;

import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import io.replagent.state.Settings;
import io.replagent.testing.AgentProcess;
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
