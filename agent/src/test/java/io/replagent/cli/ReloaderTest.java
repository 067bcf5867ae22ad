package io.replagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import io.replagent.testing.AgentProcess;
import io.replagent.testing.Trees;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP on a running agent (a process of its own): a state with a watch added, one removed, a target retuned. */
@org.junit.jupiter.api.Tag("e2e")
class ReloaderTest {

    static final String OLD = """
              - name: old
                source: /srv/old
                targets: [ { name: copy, url: /srv/old-copy } ]
                delay: 100ms
            """;
    static final String NEW = """
              - name: new
                source: /srv/new
                targets: [ { name: copy, url: /srv/new-copy } ]
                delay: 100ms
            """;

    @TempDir Path root;
    Path state;
    Path socket;
    String base;
    AgentProcess agent;

    @BeforeEach
    void start() throws Exception {
        state = AgentProcess.writeLoopbackState(root);
        base = Files.readString(state);
        socket = root.resolve("run/agent/agent.sock");
        for (String dir : List.of("srv/source", "srv/old", "srv/new")) Files.createDirectories(root.resolve(dir));
        Files.writeString(state, base + OLD);
        agent = AgentProcess.start(state, root, socket, AgentProcess.ENV, root.resolve("agent.log"));
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) agent.close();
        Path pidFile = root.resolve("run/rsyncd.pid");
        if (Files.exists(pidFile)) CliFixture.stopDaemon(pidFile);
    }

    @Test
    void aWatchAddedOneRemovedAndARetunedTargetKeepsItsQueueAndPause() throws Exception {
        Files.writeString(root.resolve("srv/old/before.txt"), "old watch");
        Trees.awaitEqual(root.resolve("srv/old"), root.resolve("srv/old-copy"), Duration.ofSeconds(20));
        try (ControlClient client = ControlClient.connect(socket)) {
            client.call("pause", ControlClient.args().put("target", "src/backup"));
        }
        awaitTarget("src", "backup", t -> t.path("state").asString().equals("paused"));
        for (int i = 0; i < 20; i++) Files.writeString(root.resolve("srv/source/queued-" + i + ".txt"), "waits " + i);
        awaitTarget("src", "backup", t -> t.path("queue_depth").asInt() == 20);

        // src retuned (another delay), old removed, new added
        Files.writeString(state, base.replace("delay: 100ms", "delay: 200ms") + NEW);
        hangup();
        awaitLog("reload: watch src target backup retuned");
        String log = agent.log();
        assertTrue(log.contains("reload: watch old removed"), log);
        assertTrue(log.contains("reload: watch src target backup retuned (its queue kept)"), log);
        JsonNode backup = awaitTarget("src", "backup", t -> true);
        assertEquals(20, backup.path("queue_depth").asInt(), "the queue went to the new pipeline: " + backup);
        assertEquals("operator", backup.path("pause_reason").asString(), "and so did the operator's pause");
        assertFalse(Files.exists(root.resolve("srv/backup/queued-0.txt")));

        try (ControlClient client = ControlClient.connect(socket)) {
            client.call("resume", ControlClient.args().put("target", "src/backup"));
            JsonNode status = client.call("status", null);
            assertEquals(List.of("src", "new"), names(status.path("watches")));
            JsonNode reload = status.path("agent").path("last_reload");
            assertTrue(reload.path("ok").asBoolean(), reload.toString());
            assertEquals(status.path("agent").path("state_file_sha256").asString(),
                    status.path("agent").path("state_sha256").asString(), "the agent runs the file's state now");
        }
        Trees.awaitEqual(root.resolve("srv/source"), root.resolve("srv/backup"), Duration.ofSeconds(20));
        Files.writeString(root.resolve("srv/new/fresh.txt"), "new watch");
        Files.writeString(root.resolve("srv/old/after.txt"), "nobody watches this");
        Trees.awaitEqual(root.resolve("srv/new"), root.resolve("srv/new-copy"), Duration.ofSeconds(20));
        assertFalse(Files.exists(root.resolve("srv/old-copy/after.txt")), "the removed watch no longer replicates");
        assertTrue(agent.process().isAlive());
    }

    @Test
    void anInvalidStateIsRefusedWithItsPositionAndTheAgentGoesOnAsItWas() throws Exception {
        Files.writeString(state, base + NEW.replace("delay: 100ms", "dealy: 100ms"));
        hangup();
        awaitLog("unknown key 'dealy'");
        String log = agent.log();
        assertTrue(log.contains("reload refused, " + state + " is invalid; the agent goes on with the state it runs"), log);
        assertTrue(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(state.toString()) + ":\\d+:\\d+: unknown key 'dealy'")
                .matcher(log).find(), "FILE:LINE:COL of the problem: " + log);
        try (ControlClient client = ControlClient.connect(socket)) {
            JsonNode status = client.call("status", null);
            assertEquals(List.of("src", "old"), names(status.path("watches")), "still the state it ran");
            JsonNode reload = status.path("agent").path("last_reload");
            assertFalse(reload.path("ok").asBoolean(), reload.toString());
            assertTrue(reload.path("problems").get(0).asString().matches(java.util.regex.Pattern.quote(state.toString())
                    + ":\\d+:\\d+: unknown key 'dealy'.*"), reload.toString());
        }
        CliFixture.Run doctor = CliFixture.run(List.of("doctor", "--socket", socket.toString()), "", false, AgentProcess.ENV);
        assertTrue(doctor.out().contains("was refused, the agent runs the state it ran before"), doctor.out());
        Files.writeString(root.resolve("srv/source/still.txt"), "replicating");
        Trees.awaitEqual(root.resolve("srv/source"), root.resolve("srv/backup"), Duration.ofSeconds(20));
    }

    private static List<String> names(JsonNode watches) {
        List<String> out = new java.util.ArrayList<>();
        watches.forEach(w -> out.add(w.path("name").asString()));
        return out;
    }

    private void hangup() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(agent.process().pid())).start();
        assertEquals(0, kill.waitFor());
    }

    private void awaitLog(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!agent.log().contains(text)) {
            if (System.nanoTime() > deadline) throw new AssertionError("no '" + text + "' in the log: " + agent.log());
            Thread.sleep(50);
        }
    }

    private JsonNode awaitTarget(String watch, String target, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try (ControlClient client = ControlClient.connect(socket)) {
                for (JsonNode w : client.call("status", null).path("watches")) {
                    if (!w.path("name").asString().equals(watch)) continue;
                    for (JsonNode t : w.path("targets")) if (t.path("name").asString().equals(target)) last = t;
                }
            } catch (ControlException e) {
                // between two agents' sockets
            }
            if (last != null && condition.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met in 30 s; last: " + last);
    }
}
