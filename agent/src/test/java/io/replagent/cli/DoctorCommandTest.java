package io.replagent.cli;

import io.replagent.testing.AgentProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `agent doctor` and `agent status` end to end: with no agent (the checks that need none run here, against the real
 * host and a real rsync), and with a running agent whose state file is then edited under it.
 */
@Tag("e2e")
class DoctorCommandTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path root;
    AgentProcess agent;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) agent.close();
        CliFixture.stopDaemon(root.resolve("run/rsyncd.pid"));
    }

    CliFixture.Run run(String... args) {
        return CliFixture.run(List.of(args), "", false, AgentProcess.ENV);
    }

    /** rule → verdict of `doctor --json`, in order. */
    static List<String> rules(CliFixture.Run json) {
        List<String> rules = new ArrayList<>();
        for (JsonNode f : JSON.readTree(json.out()).path("findings")) rules.add(f.path("rule").asString() + " " + f.path("verdict").asString());
        return rules;
    }

    @Test
    void withoutAnAgentThatIsAFailureAndTheLocalChecksStillRun() throws Exception {
        Path state = AgentProcess.writeLoopbackState(root);
        CliFixture.Run text = run("doctor", state.toString(), "--root", root.toString());
        assertEquals(ExitCode.ERROR, text.exit(), text.out() + text.err());
        assertTrue(text.out().startsWith("FAIL  agent: no agent is listening on " + root.resolve("run/agent/agent.sock")), text.out());
        assertTrue(text.out().contains("      fix: start it: systemctl start agent, or agent apply STATE"), text.out());
        // plan: the host is not converged (nothing applied yet)
        assertTrue(text.out().contains("warn  daemon[rsyncd]: "), text.out());
        // the target, probed with a real rsync: nothing listens on its port
        assertTrue(text.out().contains("FAIL  target src/backup: rsync exit "), text.out());
        assertTrue(text.out().contains("ok    disk " + root.resolve("var/lib/agent") + ": "), text.out());
        assertTrue(text.out().lines().reduce((a, b) -> b).orElse("").startsWith("doctor: 2 failed, "), text.out());

        CliFixture.Run json = run("doctor", state.toString(), "--root", root.toString(), "--json");
        assertEquals(ExitCode.ERROR, json.exit());
        assertEquals("fail", JSON.readTree(json.out()).path("verdict").asString());
        List<String> rules = rules(json);
        assertEquals("agent.unreachable fail", rules.get(0));
        assertTrue(rules.contains("host.drift warn") && rules.contains("target.unreachable fail") && rules.contains("disk.ok ok"), rules.toString());
        assertFalse(json.out().contains(AgentProcess.PASSWORD) || text.out().contains(AgentProcess.PASSWORD), "no secret in doctor's output");
    }

    @Test
    void aRunningAgentIsAskedAndAStateFileEditedUnderItIsNoticed() throws Exception {
        Path state = AgentProcess.writeLoopbackState(root);
        Files.createDirectories(root.resolve("srv/source"));
        agent = AgentProcess.start(state, root, root.resolve("run/agent/agent.sock"), AgentProcess.ENV, root.resolve("agent.log"));

        CliFixture.Run healthy = run("doctor", state.toString(), "--root", root.toString(), "--json");
        assertEquals(ExitCode.OK, healthy.exit(), healthy.out());
        List<String> rules = rules(healthy);
        assertEquals("agent.running ok", rules.get(0));
        assertTrue(rules.containsAll(List.of("target.ok ok", "host.ok ok", "target.reachable ok", "disk.ok ok")), rules.toString());
        assertEquals(ExitCode.OK, run("status", "--state", state.toString(), "--root", root.toString()).exit());

        Files.writeString(state, Files.readString(state) + "# edited while the agent runs\n");
        CliFixture.Run status = run("status", "--state", state.toString(), "--root", root.toString());
        assertEquals(ExitCode.DEGRADED, status.exit(), status.out());
        assertTrue(status.out().contains("warn  state file: running state differs from the file: " + state
                + " changed since the agent started"), status.out());
        assertTrue(status.out().contains("      fix: reload the agent to run it"), status.out());
        CliFixture.Run doctor = run("doctor", state.toString(), "--root", root.toString());
        assertEquals(ExitCode.DEGRADED, doctor.exit(), doctor.out());
        assertTrue(doctor.out().contains("warn  state file: running state differs from the file"), doctor.out());
        JsonNode served = JSON.readTree(run("status", "--state", state.toString(), "--root", root.toString(), "--json").out());
        assertEquals(state.toString(), served.path("agent").path("state_file").asString());
        assertEquals(agent.process().pid(), served.path("agent").path("pid").asLong());
        assertFalse(served.path("agent").path("state_sha256").asString().equals(served.path("agent").path("state_file_sha256").asString()));
    }

    @Test
    void onlyASocketWithNobodyOnIt() {
        CliFixture.Run r = run("doctor", "--socket", root.resolve("none.sock").toString());
        assertEquals(ExitCode.ERROR, r.exit());
        assertTrue(r.out().startsWith("FAIL  agent: no agent is listening on " + root.resolve("none.sock")), r.out());
    }

    @Test
    void anInvalidStateIsAFailureWithItsProblemsByLineAndColumn() throws Exception {
        Path state = Files.writeString(root.resolve("bad.yaml"), "version: 1\nwatches: [{ name: w }]\n");
        CliFixture.Run r = run("doctor", state.toString(), "--json");
        assertEquals(ExitCode.ERROR, r.exit(), r.out());
        JsonNode first = JSON.readTree(r.out()).path("findings").get(0);
        assertEquals("state.error", first.path("rule").asString());
        assertTrue(first.path("cause").asString().startsWith(state + ":2:"), first.toString());
    }

    @Test
    void aStateWithoutWatchesNeedsNoAgent() throws Exception {
        Path state = CliFixture.write(root, CliFixture.backupServer("root", 1, "none"));
        CliFixture.Run r = run("doctor", state.toString(), "--root", root.toString(), "--json");
        assertEquals("agent.not_needed ok", rules(r).get(0), r.out());
    }
}
