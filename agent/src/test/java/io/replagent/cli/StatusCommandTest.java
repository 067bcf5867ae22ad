package io.replagent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command's own wiring; the degraded rules are health's (StatusRulesTest), the running agent's side is covered
 * by ReplicatingAgentTest and DoctorCommandTest.
 */
class StatusCommandTest {

    @Test
    void unreachableAgentIsExitOneWithTheSocketNamed(@TempDir Path dir) throws Exception {
        Path state = Files.writeString(dir.resolve("state.yaml"), """
                version: 1
                settings: { control_socket: /run/agent-x/agent.sock }
                """);
        CliFixture.Run r = CliFixture.run(List.of("status", "--state", state.toString(), "--root", dir.toString()), "", false);
        assertEquals(ExitCode.ERROR, r.exit());
        assertTrue(r.err().contains(dir.resolve("run/agent-x/agent.sock").toString()), r.err());
        CliFixture.Run both = CliFixture.run(List.of("status", "--state", state.toString(), "--socket", "/x"), "", false);
        assertEquals(ExitCode.USAGE, both.exit(), both.err());
        assertTrue(both.err().startsWith("agent status: give only one of --socket=PATH | [--state=FILE [--root=DIR]]\n"
                + "Usage: agent status "), both.err());
    }

    /** #11: an unparsable --state file is an error with the file's problems, not a usage error. */
    @Test
    void anUnparsableStateFileIsExitOneWithItsProblemsByLineAndColumn(@TempDir Path dir) throws Exception {
        Path state = Files.writeString(dir.resolve("state.yaml"), "version: 1\nsettings: { control_socket: [ }\n");
        CliFixture.Run r = CliFixture.run(List.of("status", "--state", state.toString()), "", false);
        assertEquals(ExitCode.ERROR, r.exit(), r.err());
        assertTrue(r.err().startsWith(state + ":2:"), r.err());
        Path invalid = Files.writeString(dir.resolve("invalid.yaml"), "version: 1\nsettings: { control_sokcet: /x }\n");
        CliFixture.Run unknownKey = CliFixture.run(List.of("status", "--state", invalid.toString()), "", false);
        assertEquals(ExitCode.ERROR, unknownKey.exit());
        assertEquals(invalid + ":2:13: unknown key 'control_sokcet', did you mean 'control_socket'?\n", unknownKey.err());
    }

    @Test
    void theDefaultSocketComesFromTheEnvironment(@TempDir Path dir) {
        CliFixture.Run r = CliFixture.run(List.of("status"), "", false, java.util.Map.of("AGENT_SOCKET", dir.resolve("a.sock").toString()));
        assertEquals(ExitCode.ERROR, r.exit());
        assertTrue(r.err().contains(dir.resolve("a.sock").toString()), r.err());
    }
}
