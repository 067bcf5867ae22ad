package io.replagent.replicate;

import io.replagent.tree.RawNames;
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

    /** One run: exit code, time, and rsync's output, raw (one char per byte, as names are). */
    record Result(int exit, double seconds, String output, String rawError) {
        /** A run that did not happen (rsync missing, cancelled at shutdown). */
        static Result failed(String why) {
            return new Result(-1, 0, "", why);
        }

        /** Regular files sent (--stats). */
        long files() { return count(FILES, output); }

        /** Bytes on the wire (--stats). */
        long bytes() { return count(BYTES, output); }

        /** Entries of the sender's file list (--stats). */
        long listed() { return count(LISTED, output); }

        /** Entries created on the receiver (--stats). */
        long created() { return count(CREATED, output); }

        /** Deletions --max-delete skipped (its "Deletions stopped" warning), 0 when none. */
        long skippedDeletes() { return count(SKIPPED, rawError); }

        /** The end of the error output, for logs and status (names decoded where they are UTF-8). */
        String error() {
            String e = RawNames.display(rawError).strip();
            return e.length() > ERROR_TAIL ? e.substring(e.length() - ERROR_TAIL) : e;
        }
    }

    private static final Pattern FILES = Pattern.compile("Number of regular files transferred: ([\\d,.]+)");
    private static final Pattern BYTES = Pattern.compile("Total bytes sent: ([\\d,.]+)");
    private static final Pattern LISTED = Pattern.compile("Number of files: ([\\d,.]+)");
    private static final Pattern CREATED = Pattern.compile("Number of created files: ([\\d,.]+)");
    private static final Pattern SKIPPED = Pattern.compile("Deletions stopped due to --max-delete limit \\(([\\d,.]+) skipped\\)");
    private static final int ERROR_TAIL = 2000;
    /** Error output kept for reading per-file errors: one line per failed file, bounded. */
    private static final int ERROR_KEPT = 4 << 20;

    private final Map<String, String> environment;
    private final Set<ExecuteWatchdog> running = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Consumer<RsyncProgress> progress = p -> { };

    /** @param environment the child's whole environment (RSYNC_PASSWORD goes here, never into argv) */
    RsyncRunner(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Where the figures of a run with {@code --info=progress2} go (the target's status and log). */
    void onProgress(java.util.function.Consumer<RsyncProgress> sink) {
        this.progress = sink;
    }

    Result run(List<String> argv, byte[] stdin) {
        long start = System.nanoTime();
        CommandLine line = new CommandLine(argv.get(0));
        for (String arg : argv.subList(1, argv.size())) line.addArgument(arg, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(ExecuteWatchdog.INFINITE_TIMEOUT_DURATION).get();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        java.io.OutputStream stdout = argv.contains(RsyncArgs.PROGRESS) ? new ProgressStream(out, progress) : out;
        executor.setStreamHandler(new PumpStreamHandler(stdout, err, new ByteArrayInputStream(stdin == null ? new byte[0] : stdin)));
        executor.setWatchdog(watchdog);
        executor.setExitValues(null);
        running.add(watchdog);
        int exit;
        try {
            exit = executor.execute(line, new HashMap<>(environment));
        } catch (ExecuteException e) {
            exit = e.getExitValue();
        } catch (IOException e) {
            return new Result(-1, seconds(start), "", "cannot run " + argv.get(0) + ": " + e.getMessage());
        } finally {
            running.remove(watchdog);
            if (stdout != out) progress.accept(null); // the run is over: no figures in flight
        }
        String stderr = err.toString(StandardCharsets.ISO_8859_1);
        if (stderr.length() > ERROR_KEPT) stderr = stderr.substring(stderr.length() - ERROR_KEPT);
        return new Result(exit, seconds(start), out.toString(StandardCharsets.ISO_8859_1), stderr);
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
