package io.replagent.replicate;

import io.replagent.history.TargetHistory;

import java.time.Instant;
import java.util.List;

/** A snapshot of the running replication: what status, the control socket and the console show. */
public record ReplicationStatus(Instant at, List<WatchStatus> watches, List<ModuleStatus> modules) {

    public ReplicationStatus {
        watches = List.copyOf(watches);
        modules = List.copyOf(modules);
    }

    public ReplicationStatus(Instant at, List<WatchStatus> watches) {
        this(at, watches, List.of());
    }

    /** A module of this host's rsync daemon whose history this agent prunes (server.modules[].history). */
    public record ModuleStatus(String name, String path, TargetHistory.Status history) {}

    /**
     * @param watchedDirectories inotify watches held (0 on fanotify: one filesystem mark covers every directory)
     * @param events             changes reported by the watcher since start
     * @param overflows          kernel queue overflows (each a full sync)
     * @param backend            inotify or fanotify (auto until a source missing since the start appears)
     * @param backendReason      why that backend: the setting, or why auto fell back to inotify
     */
    public record WatchStatus(String name, String source, int watchedDirectories, long events, long overflows,
                              String error, String backend, String backendReason, List<TargetStatus> targets) {
        public WatchStatus {
            targets = List.copyOf(targets);
        }
    }

    /**
     * @param state           idle, pending, syncing, retrying, paused or stopped
     * @param pauseReason     when paused: source_lost, mass_delete, error or operator (the most serious of them)
     * @param alert           why the target is paused, or what needs attention (a full target, a queue that cannot
     *                        be saved), or null
     * @param queueDepth      paths waiting (a pending full sync counts as one)
     * @param oldestPendingSeconds age of the oldest change not yet delivered, 0 when none
     * @param failures        paths that a failed rsync did not deliver, with its error (at most 100 shown)
     * @param failureCount    how many paths are in the failure queue
     * @param lastAudit       the last audit's time and result, or null when none ran
     * @param history         the target's version history (retention, who prunes, size and oldest version as last
     *                        measured), or null when it keeps none
     */
    public record TargetStatus(String name, String destination, String state, String pauseReason, String alert,
                               int queueDepth, double oldestPendingSeconds, int inFlight, Instant lastSuccess, int attempt,
                               long retries, Instant nextRetry, List<Failure> failures, int failureCount,
                               long bytesSent, long filesSent, long rsyncRuns, long batches, AuditStatus lastAudit,
                               TargetHistory.Status history) {
        public TargetStatus {
            failures = List.copyOf(failures);
        }

        /** A target without history. */
        public TargetStatus(String name, String destination, String state, String pauseReason, String alert,
                            int queueDepth, double oldestPendingSeconds, int inFlight, Instant lastSuccess, int attempt,
                            long retries, Instant nextRetry, List<Failure> failures, int failureCount,
                            long bytesSent, long filesSent, long rsyncRuns, long batches, AuditStatus lastAudit) {
            this(name, destination, state, pauseReason, alert, queueDepth, oldestPendingSeconds, inFlight, lastSuccess,
                    attempt, retries, nextRetry, failures, failureCount, bytesSent, filesSent, rsyncRuns, batches, lastAudit,
                    null);
        }
    }

    /**
     * An audit's outcome: {@code result} is clean, differences or error; the counts of paths missing on the target,
     * differing in content and extra there; the first of them; whether they were queued to be sent again.
     */
    public record AuditStatus(Instant at, String result, long missing, long differs, long extra, List<String> first,
                              boolean repaired, String error) {
        public AuditStatus {
            first = List.copyOf(first);
        }
    }

    /** A path in the failure queue and the error text of the rsync that did not deliver it. */
    public record Failure(String path, String error) {}

    /** One line of the live tail: a batch (or full sync, or move) sent to a target, or a watch event of note. */
    public record Activity(Instant at, String watch, String target, String kind, int paths, long files, long bytes,
                           double seconds, int exit, String message) {}
}
