package io.replagent.replicate;

import java.time.Duration;

/** A recurring task on the nanosecond clock (periodic full sync, periodic audit); an interval of zero is off. */
final class Schedule {

    private final long intervalNanos;
    private long nextNanos;

    Schedule(Duration interval, long nowNanos) {
        this.intervalNanos = interval.toNanos();
        this.nextNanos = intervalNanos == 0 ? 0 : nowNanos + intervalNanos;
    }

    /** True once per interval when it is due (and the next one is scheduled from now). */
    boolean due(long nowNanos) {
        if (intervalNanos == 0 || nowNanos < nextNanos) return false;
        nextNanos = nowNanos + intervalNanos;
        return true;
    }

    /** Nanoseconds until it is due, -1 when off. */
    long until(long nowNanos) {
        return intervalNanos == 0 ? -1 : Math.max(0, nextNanos - nowNanos);
    }
}
