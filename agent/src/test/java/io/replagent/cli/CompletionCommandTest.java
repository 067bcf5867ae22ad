package io.replagent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The completion script in a real bash: what it offers after each prefix. */
class CompletionCommandTest {

    @TempDir Path dir;

    List<String> complete(String line) throws Exception {
        CliFixture.Run script = CliFixture.run(List.of("completion", "bash"), "", false);
        assertEquals(ExitCode.OK, script.exit(), script.err());
        Path file = Files.writeString(dir.resolve("agent.bash"), script.out());
        String words = line.endsWith(" ") ? line + "''" : line;
        String bash = "source '" + file + "'; COMP_LINE='" + line + "'; COMP_WORDS=(" + words + "); "
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _complete_agent 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", bash).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void commandsOptionsAndValues() throws Exception {
        assertEquals(List.of("plan"), complete("agent pl"));
        assertEquals(List.of("schema", "status"), complete("agent s").stream().sorted().toList());
        assertEquals(List.of("--detailed-exitcode"), complete("agent plan --de"));
        assertEquals(List.of("--socket", "--state"), complete("agent status --s").stream().sorted().toList());
        assertEquals(List.of("bash"), complete("agent completion "));
    }
}
