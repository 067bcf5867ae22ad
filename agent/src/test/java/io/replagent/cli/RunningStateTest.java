package io.replagent.cli;

import io.replagent.state.StateFile;
import io.replagent.system.Signals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class RunningStateTest {

    @Test
    void theFilesHashNowBesideTheHashOfWhatRuns(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("state.yaml"), "version: 1\n");
        RunningState running = RunningState.of(file.toString(), StateFile.sha256("version: 1\n".getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> same = running.describe();
        assertEquals(ProcessHandle.current().pid(), same.get("pid"));
        assertEquals(file.toString(), same.get("state_file"));
        // what sha256sum prints for the file, so an operator can compare by hand
        Process sum = new ProcessBuilder("sha256sum", file.toString()).start();
        String expected = new String(sum.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split(" ")[0];
        assertEquals(0, sum.waitFor());
        assertEquals(expected, same.get("state_sha256"));
        assertEquals(same.get("state_sha256"), same.get("state_file_sha256"));
        Files.writeString(file, "version: 1\n# edited\n");
        Map<String, Object> edited = running.describe();
        assertFalse(edited.get("state_sha256").equals(edited.get("state_file_sha256")));
        Files.delete(file);
        assertEquals("no such file", running.describe().get("state_file_error"));
    }

    @Test
    void aRelativePathIsMadeAbsoluteAndStdinHasNothingToCompare() {
        assertEquals(Path.of("s.yaml").toAbsolutePath().toString(), RunningState.of("s.yaml", "aa").file());
        Map<String, Object> stdin = RunningState.of("-", "aa").describe();
        assertEquals("-", stdin.get("state_file"));
        assertFalse(stdin.containsKey("state_file_sha256") || stdin.containsKey("state_file_error"));
    }

    @Test
    void whatSighupDoesIsShownOnceKnownAndOutlivesAReload() {
        RunningState running = RunningState.of("-", "aa");
        assertFalse(running.describe().containsKey("sighup"), "not asked for yet");
        RunningState ignored = running.withHangup(Signals.Hangup.IGNORED);
        assertEquals("ignored", ignored.describe().get("sighup"));
        assertEquals("handled", running.withHangup(Signals.Hangup.HANDLED).describe().get("sighup"));
        RunningState reloaded = ignored.reloaded(new RunningState.Reload(Instant.EPOCH, true, List.of(), List.of()), "bb");
        assertEquals("ignored", reloaded.describe().get("sighup"));
    }
}
