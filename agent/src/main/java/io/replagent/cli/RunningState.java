package io.replagent.cli;

import io.replagent.state.StateFile;
import io.replagent.system.Signals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which state a running agent runs: its file (absolute, or "-" for stdin) and the SHA-256 of the bytes it loaded.
 * Served in the status's "agent" block together with the file's hash now, so status and doctor notice an edit; and
 * whether SIGHUP reloads it at all ({@code sighup}: null until the handler is installed).
 */
record RunningState(String file, String sha256, Reload lastReload, Signals.Hangup sighup) {

    /**
     * The last SIGHUP's outcome: applied (the changes made) or refused (the state file's problems, FILE:LINE:COL), the
     * agent going on with the state it ran before.
     */
    record Reload(Instant at, boolean ok, List<String> problems, List<String> changes) {
        Reload {
            problems = List.copyOf(problems);
            changes = List.copyOf(changes);
        }
    }

    static RunningState of(String argument, String sha256) {
        return new RunningState(argument.equals("-") ? "-" : Path.of(argument).toAbsolutePath().normalize().toString(), sha256,
                null, null);
    }

    /** Once the SIGHUP handler was asked for: whether a reload can be asked for with a signal. */
    RunningState withHangup(Signals.Hangup hangup) {
        return new RunningState(file, sha256, lastReload, hangup);
    }

    /** As the status shows it: handled, ignored, reserved. */
    static String label(Signals.Hangup hangup) {
        return hangup.name().toLowerCase(Locale.ROOT);
    }

    /** After a reload: the state it runs now (a refused one keeps the hash it had). */
    RunningState reloaded(Reload reload, String newSha256) {
        return new RunningState(file, reload.ok() ? newSha256 : sha256, reload, sighup);
    }

    /**
     * The "agent" block of the served status: pid, version, the state file and its hash when loaded and now, what SIGHUP
     * does ("handled": reloads; "ignored": nothing, started under nohup; "reserved": the JVM's -Xrs, it ends the agent).
     */
    Map<String, Object> describe() {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("pid", ProcessHandle.current().pid());
        agent.put("version", VersionCommand.version());
        agent.put("state_file", file);
        agent.put("state_sha256", sha256);
        if (sighup != null) agent.put("sighup", label(sighup));
        if (lastReload != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("at", lastReload.at().toString());
            r.put("ok", lastReload.ok());
            r.put("problems", lastReload.problems());
            r.put("changes", lastReload.changes());
            agent.put("last_reload", r);
        }
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
