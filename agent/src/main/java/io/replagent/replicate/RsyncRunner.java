package io.replagent.replicate;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs rsync as an argv (never a shell), with the path list on stdin; reads the counts of its --stats. */
final class RsyncRunner {

    /** One run: exit code, the files and bytes rsync reports, the end of its error output. */
    record Result(int exit, long files, long bytes, double seconds, String error) {}

    private static final Pattern FILES = Pattern.compile("Number of regular files transferred: ([\\d,.]+)");
    private static final Pattern BYTES = Pattern.compile("Total bytes sent: ([\\d,.]+)");
    private static final int ERROR_TAIL = 2000;

    private final Map<String, String> environment;
    private final Set<ExecuteWatchdog> running = ConcurrentHashMap.newKeySet();

    /** @param environment the child's whole environment (RSYNC_PASSWORD goes here, never into argv) */
    RsyncRunner(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Result run(List<String> argv, byte[] stdin) {
        long start = System.nanoTime();
        CommandLine line = new CommandLine(argv.get(0));
        for (String arg : argv.subList(1, argv.size())) line.addArgument(arg, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(ExecuteWatchdog.INFINITE_TIMEOUT_DURATION).get();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setStreamHandler(new PumpStreamHandler(out, err, new ByteArrayInputStream(stdin == null ? new byte[0] : stdin)));
        executor.setWatchdog(watchdog);
        executor.setExitValues(null);
        running.add(watchdog);
        int exit;
        try {
            exit = executor.execute(line, new HashMap<>(environment));
        } catch (ExecuteException e) {
            exit = e.getExitValue();
        } catch (IOException e) {
            return new Result(-1, 0, 0, seconds(start), "cannot run " + argv.get(0) + ": " + e.getMessage());
        } finally {
            running.remove(watchdog);
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8).strip();
        if (stderr.length() > ERROR_TAIL) stderr = stderr.substring(stderr.length() - ERROR_TAIL);
        return new Result(exit, count(FILES, stdout), count(BYTES, stdout), seconds(start), stderr);
    }

    /** Ends every rsync still running (shutdown, after the grace period). */
    void killAll() {
        running.forEach(ExecuteWatchdog::destroyProcess);
    }

    private static long count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(1).replaceAll("[,.]", "")) : 0;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
