package io.replagent.system;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Tag("e2e")
class ProcessesTest {

    private final Processes processes = new Processes();

    @Test void argumentsArriveAsTheyAreOneWordEach() throws IOException {
        List<String> words = List.of("a b", "\"quoted\"", "$HOME", "--not-an-option", "*", "it's");
        List<String> argv = new java.util.ArrayList<>(List.of("printf", "[%s]\\n"));
        argv.addAll(words);
        assertEquals("[a b]\n[\"quoted\"]\n[$HOME]\n[--not-an-option]\n[*]\n[it's]\n", processes.run(argv).out());
    }

    @Test void extraEnvironmentReachesTheChild() throws IOException {
        Processes.Result r = processes.run(List.of("sh", "-c", "printf %s \"$AGENT_TEST_VALUE\"; echo oops >&2; exit 3"),
                Map.of("AGENT_TEST_VALUE", "v"), Duration.ofSeconds(10));
        assertEquals(new Processes.Result(3, "v", "oops\n"), r);
        assertEquals("oops", r.firstLine());
    }

    @Test void childrenGetAMinimalEnvironmentNotTheAgentsSecrets() throws IOException {
        String env = processes.run(List.of("env"), Map.of("RSYNC_PASSWORD", "p"), Duration.ofSeconds(10)).out();
        java.util.Set<String> names = new java.util.HashSet<>();
        env.lines().forEach(line -> names.add(line.substring(0, line.indexOf('='))));
        java.util.Set<String> allowed = new java.util.HashSet<>(Processes.INHERITED);
        allowed.add("RSYNC_PASSWORD");
        org.junit.jupiter.api.Assertions.assertTrue(allowed.containsAll(names) && names.contains("PATH"), names.toString());
    }

    @Test void inheritedKeepsPathLocaleAndTimeZoneOnly() {
        assertEquals(Map.of("PATH", "/bin", "LANG", "C.UTF-8", "TZ", "UTC"), Processes.inherited(Map.of("PATH", "/bin",
                "LANG", "C.UTF-8", "TZ", "UTC", "RSYNC_BACKUP_PASSWORD", "s3cret", "RSYNC_PASSWORD", "p", "HOME", "/root")));
    }

    @Test void aMissingProgramIsAnIOExceptionAndATimeoutKills() throws IOException {
        assertThrows(IOException.class, () -> processes.run(List.of("/nonexistent/program")));
        assertEquals(143, processes.run(List.of("sleep", "30"), Map.of(), Duration.ofMillis(200)).exit());
    }
}
