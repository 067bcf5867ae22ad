package io.replagent.replicate;

import io.replagent.history.TargetHistory;
import io.replagent.system.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every few seconds, on a thread of its own: the status file, the queue files of targets not delivering, the targets'
 * history work (which runs on the history's own threads).
 */
final class Housekeeping {

    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Path statusFile;
    private final Supplier<ReplicationStatus> status;
    private final List<WatchRun> watches;
    private final java.util.Collection<TargetHistory> modules;
    private final Log log;
    private Thread thread;

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
            for (TargetHistory m : modules) m.housekeeping(java.time.Instant.now(), null, false);
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void writeStatus() {
        if (statusFile == null) return;
        try {
            AtomicFile.write(statusFile, StatusJson.of(status.get()).getBytes(StandardCharsets.UTF_8), 0644);
        } catch (IOException e) {
            log.warn("cannot write the status file " + statusFile + ": " + e.getMessage());
        }
    }
}
