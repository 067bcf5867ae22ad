package io.replagent.cli;

import io.replagent.state.StateFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which state a running agent runs: its file (absolute, or "-" for stdin) and the SHA-256 of the bytes it loaded.
 * Served in the status's "agent" block together with the file's hash now, so status and doctor notice an edit.
 */
record RunningState(String file, String sha256) {

    static RunningState of(String argument, String sha256) {
        return new RunningState(argument.equals("-") ? "-" : Path.of(argument).toAbsolutePath().normalize().toString(), sha256);
    }

    /** The "agent" block of the served status: pid, version, the state file and its hash when loaded and now. */
    Map<String, Object> describe() {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("pid", ProcessHandle.current().pid());
        agent.put("version", VersionCommand.version());
        agent.put("state_file", file);
        agent.put("state_sha256", sha256);
        if (file.equals("-")) return agent; // read from stdin: nothing to compare with
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            agent.put("state_file_sha256", StateFile.sha256(StateFile.readAtMost(in)));
        } catch (NoSuchFileException e) {
            agent.put("state_file_error", "no such file");
        } catch (IOException e) {
            agent.put("state_file_error", String.valueOf(e.getMessage()));
        }
        return agent;
    }
}
