package io.replagent.replicate;

import java.time.Duration;

/**
 * When a target's pending changes are due to be sent: after {@code delay} from the first change of the batch, at once
 * when {@code maxDelays} changes are waiting or the tree collapsed into a full sync, never while paused, not before a
 * backoff ends. Pure: the time is passed in.
 */
record BatchPolicy(Duration delay, int maxDelays) {

    /** What the policy looks at. */
    record Pending(boolean empty, boolean full, long changes, long firstNanos) {}

    /** Nanoseconds until the batch is due: 0 now, -1 nothing to wait for. */
    long untilDue(long nowNanos, Pending pending, boolean paused, long retryAtNanos) {
        if (paused || pending.empty()) return -1;
        if (nowNanos < retryAtNanos) return retryAtNanos - nowNanos;
        if (pending.full() || pending.changes() >= Math.max(1, maxDelays)) return 0;
        return Math.max(0, pending.firstNanos() + delay.toNanos() - nowNanos);
    }

    /** The earlier of two waits, where -1 means none. */
    static long earliest(long a, long b) {
        if (a < 0) return b;
        if (b < 0) return a;
        return Math.min(a, b);
    }
}
