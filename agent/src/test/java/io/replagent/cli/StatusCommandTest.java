package io.replagent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The degraded rules as a table; the running agent's side is covered by ReplicatingAgentTest. */
class StatusCommandTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final JsonNode NO_LIMITS = JSON.readTree("{\"max_user_watches\":1000,\"watches_used\":10}");

    static JsonNode status(String target, String watchError) {
        return JSON.readTree("{\"watches\":[{\"name\":\"data\",\"error\":" + watchError + ",\"targets\":[" + target + "]}]}");
    }

    @Test
    void degradedReasons() {
        String idle = "{\"name\":\"b\",\"state\":\"idle\",\"alert\":null,\"failure_count\":0}";
        assertEquals(List.of(), StatusCommand.problems(status(idle, "null"), NO_LIMITS));
        assertEquals(List.of("data/b is paused: auth failed (rsync exit 5)"), StatusCommand.problems(status(
                "{\"name\":\"b\",\"state\":\"paused\",\"alert\":\"auth failed (rsync exit 5)\",\"failure_count\":0}", "null"), NO_LIMITS));
        assertEquals(List.of("data/b: 3 path(s) in the failure queue"), StatusCommand.problems(status(
                "{\"name\":\"b\",\"state\":\"retrying\",\"alert\":null,\"failure_count\":3}", "null"), NO_LIMITS));
        assertEquals(List.of("watch data: watcher stopped: x"), StatusCommand.problems(status(idle, "\"watcher stopped: x\""), NO_LIMITS));
        assertEquals(List.of("inotify watches 900 of fs.inotify.max_user_watches 1000"), StatusCommand.problems(status(idle, "null"),
                JSON.readTree("{\"max_user_watches\":1000,\"watches_used\":900}")));
    }

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
    }
}
