package io.replagent.hook;

import io.replagent.replicate.Delivered;
import io.replagent.system.Processes;
import io.replagent.tree.RawNames;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code on_batch.exec}: the program runs as an argv (no shell), with the batch's paths on stdin, each relative to the
 * source and NUL-terminated (any byte a name holds but NUL survives), and what it needs to know in AGENT_* variables.
 * Its environment is the agent's path, locale and time zone only: never the secrets the agent was given.
 */
final class ExecHook {

    private final List<String> argv;
    private final Duration timeout;
    private final Processes processes;

    ExecHook(List<String> argv, Duration timeout, Processes processes) {
        this.argv = List.copyOf(argv);
        this.timeout = timeout;
        this.processes = processes;
    }

    Outcome call(Delivered d) {
        try {
            Processes.Result r = processes.run(argv, environment(d), timeout, stdin(d.paths()));
            if (r.ok()) return Outcome.OK;
            if (r.exit() == 143) return Outcome.timeout("timed out after " + timeout.toMillis() / 1000.0 + " s (killed)");
            return Outcome.failed("exit " + r.exit() + ": " + r.firstLine());
        } catch (IOException e) {
            return Outcome.failed("cannot run " + argv.get(0) + ": " + e.getMessage());
        }
    }

    static Map<String, String> environment(Delivered d) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENT_WATCH", d.watch());
        env.put("AGENT_SOURCE", d.source());
        env.put("AGENT_TARGET", d.target());
        env.put("AGENT_DESTINATION", d.destination());
        env.put("AGENT_KIND", d.kind());
        env.put("AGENT_FULL", d.full() ? "1" : "0");
        env.put("AGENT_PATHS", String.valueOf(d.paths().size()));
        env.put("AGENT_FILES", String.valueOf(d.files()));
        env.put("AGENT_BYTES", String.valueOf(d.bytes()));
        return env;
    }

    static byte[] stdin(List<String> rawPaths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : rawPaths) {
            out.writeBytes(RawNames.bytes(p));
            out.write(0);
        }
        return out.toByteArray();
    }
}
