package io.replagent.system;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Runs programs without a shell. Every argument is passed as one word, unquoted and unexpanded
 * ({@code addArgument(x, false)}), so nothing in a path or name can become an option or a shell word.
 * Children get a minimal environment, not the agent's: the agent's environment holds the {@code {env: NAME}}
 * secrets, and a daemon started here would otherwise carry them for its whole life.
 */
public final class Processes {

    /** What a child inherits from the agent's environment; everything else it gets is passed explicitly. */
    static final Set<String> INHERITED = Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ");
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** How a run ended; output decoded as UTF-8. Exit 143 means the timeout killed it. */
    public record Result(int exit, String out, String err) {
        public boolean ok() { return exit == 0; }

        /** The first line of stderr (or stdout), for error messages. */
        public String firstLine() {
            String text = err.isBlank() ? out : err;
            return text.strip().lines().findFirst().orElse("exit " + exit);
        }
    }

    /** The part of {@code env} a child inherits: path, locale and time zone, never the secrets the agent was given. */
    public static Map<String, String> inherited(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        env.forEach((k, v) -> { if (INHERITED.contains(k)) out.put(k, v); });
        return out;
    }

    /**
     * @param extraEnv added to the child's environment (the way secrets reach a child: never argv)
     * @throws IOException when the program cannot be started (e.g. not installed)
     */
    public Result run(List<String> argv, Map<String, String> extraEnv, Duration timeout) throws IOException {
        return run(argv, extraEnv, timeout, null);
    }

    /** As {@link #run(List, Map, Duration)}, with {@code stdin} as the child's standard input (null: none). */
    public Result run(List<String> argv, Map<String, String> extraEnv, Duration timeout, byte[] stdin) throws IOException {
        CommandLine line = new CommandLine(argv.get(0));
        for (String arg : argv.subList(1, argv.size())) line.addArgument(arg, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PumpStreamHandler streams = stdin == null ? new PumpStreamHandler(out, err)
                : new PumpStreamHandler(out, err, new ByteArrayInputStream(stdin));
        DefaultExecutor executor = DefaultExecutor.builder().setExecuteStreamHandler(streams).get();
        executor.setExitValues(null);
        executor.setWatchdog(ExecuteWatchdog.builder().setTimeout(timeout).get());
        Map<String, String> env = inherited(System.getenv());
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.putAll(extraEnv);
        int exit = executor.execute(line, env);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public Result run(List<String> argv) throws IOException {
        return run(argv, Map.of(), Duration.ofSeconds(30));
    }

    /**
     * The command line of a running process ({@code /proc/PID/cmdline}), to tell whose a pid is before signalling it;
     * empty when no such process runs. Never log it whole: another program's arguments may hold a secret.
     */
    public Optional<List<String>> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) return Optional.empty(); // a zombie, or a kernel thread
            String text = new String(raw, StandardCharsets.UTF_8);
            if (text.endsWith("\0")) text = text.substring(0, text.length() - 1);
            return Optional.of(List.of(text.split("\0", -1)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
