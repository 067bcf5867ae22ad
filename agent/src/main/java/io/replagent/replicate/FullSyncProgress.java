package io.replagent.replicate;

import io.replagent.system.Log;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A target's full-sync figures as the operator sees them: a log line every half minute, or a live line on a
 * terminal ({@code apply --once} shows them there instead).
 */
final class FullSyncProgress {

    static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final String what;
    private final LongSupplier nanos;
    private final Log log;
    private volatile PrintStream terminal;
    /** Touched by the output thread of the one full sync running at a time. */
    private ProgressReporter reporter;

    /** @param what the sync's name in each line ("watch W target T: full sync") */
    FullSyncProgress(String what, LongSupplier nanos, Log log) {
        this.what = what;
        this.nanos = nanos;
        this.log = log;
    }

    /** The figures go to {@code screen} as a live line from the next full sync on. */
    void showOn(PrintStream screen) {
        terminal = screen;
    }

    /** The latest figures of the running full sync; null when it ended. */
    void update(RsyncProgress p) {
        ProgressReporter shown = reporter;
        if (p == null) {
            if (shown != null) shown.finish();
            reporter = null;
            return;
        }
        if (shown == null) {
            PrintStream screen = terminal;
            shown = new ProgressReporter(what, screen != null, LOG_EVERY, nanos,
                    text -> { screen.print(text); screen.flush(); }, log::info);
            reporter = shown;
        }
        shown.update(p);
    }
}
