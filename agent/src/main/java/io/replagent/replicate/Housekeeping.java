package io.replagent.replicate;

import io.replagent.system.Log;
import io.replagent.history.TargetHistory;
import io.replagent.system.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every few seconds, on a thread of its own: the status file, the queue files of targets not delivering, the targets'
 * history work (which runs on the history's own threads). The status file is rewritten when what it says changed (its
 * time apart) or it is gone: an idle agent would otherwise pay two fsyncs every interval for the same figures.
 */
final class Housekeeping {

    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Path statusFile;
    private final Supplier<ReplicationStatus> status;
    private final List<WatchRun> watches;
    private final java.util.Collection<TargetHistory> modules;
    private final Log log;
    private Thread thread;
    /** The last status written, its time left out; null before the first write and after a failed one. */
    private String written;

    /** @param statusFile null when the state has none */
    Housekeeping(Path statusFile, Supplier<ReplicationStatus> status, List<WatchRun> watches,
                 java.util.Collection<TargetHistory> modules, Log log) {
        this.modules = modules;
        this.statusFile = statusFile;
        this.status = status;
        this.watches = watches;
        this.log = log;
    }

    void start() {
        thread = new Thread(this::loop, "housekeeping");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread and writes the status one last time. */
    void stop() {
        if (thread != null) thread.interrupt();
        writeStatus();
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            writeStatus();
            for (WatchRun w : watches) {
                for (TargetPipeline t : w.targets) {
                    t.saveIfWaiting();
                    t.historyHousekeeping();
                }
            }
            for (TargetHistory m : modules) m.housekeeping(Instant.now(), null, false);
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Writes the status file unless it says this already (synchronized: the loop's thread and stop()'s). */
    synchronized void writeStatus() {
        if (statusFile == null) return;
        ReplicationStatus now = status.get();
        String figures = StatusJson.of(new ReplicationStatus(Instant.EPOCH, now.watches(), now.modules()));
        if (figures.equals(written) && Files.exists(statusFile, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            AtomicFile.write(statusFile, StatusJson.of(now).getBytes(StandardCharsets.UTF_8), 0644);
            written = figures;
        } catch (IOException e) {
            written = null;
            log.warn("cannot write the status file " + statusFile + ": " + e.getMessage());
        }
    }
}
