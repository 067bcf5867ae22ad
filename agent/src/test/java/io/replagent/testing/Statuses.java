package io.replagent.testing;

import io.replagent.replicate.ReplicationStatus;

import java.time.Instant;
import java.util.List;

/** Status snapshots for tests of what reads them (metrics, notify): one place that knows the records' shapes. */
public final class Statuses {

    private Statuses() {}

    public static ReplicationStatus of(ReplicationStatus.WatchStatus... watches) {
        return new ReplicationStatus(Instant.parse("2026-12-01T12:00:00Z"), List.of(watches));
    }

    public static ReplicationStatus.WatchStatus watch(String name, int directories, long events, long overflows, String error,
                                                      ReplicationStatus.TargetStatus... targets) {
        return new ReplicationStatus.WatchStatus(name, "/srv/" + name, directories, events, overflows, error, "inotify", null,
                List.of(targets));
    }

    /** A target with the figures metrics and notify read; the rest empty; paused ones paused by an error. */
    public static ReplicationStatus.TargetStatus target(String name, String state, String alert, int queueDepth,
                                                        double oldestPendingSeconds, Instant lastSuccess, int failureCount,
                                                        long retries, long bytesSent, long filesSent, long batches) {
        return new ReplicationStatus.TargetStatus(name, "rsync://backup:873/" + name + "/", state,
                state.equals("paused") ? "error" : null, alert, queueDepth, oldestPendingSeconds, 0, lastSuccess, 0, retries,
                null, List.of(), failureCount, bytesSent, filesSent, batches, batches, null, null, null, null);
    }

    /** An idle target that delivered everything at {@code lastSuccess}. */
    public static ReplicationStatus.TargetStatus idle(String name, Instant lastSuccess) {
        return target(name, "idle", null, 0, 0, lastSuccess, 0, 0, 0, 0, 1);
    }

    public static ReplicationStatus.Activity activity(String watch, String target, String kind, int exit) {
        return new ReplicationStatus.Activity(Instant.parse("2026-12-01T12:00:00Z"), watch, target, kind, 3, 3, 300, 0.1,
                exit, exit == 0 ? null : "rsync error");
    }
}
