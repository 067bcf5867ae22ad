package io.replagent.replicate;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Shows the progress of one long run (an initial or full sync, apply --once, a restore): on a terminal a live line
 * rewritten in place at most every {@link #LIVE}, otherwise a plain log line every {@code every}. Pure: the clock and
 * the two outputs are given.
 */
public final class ProgressReporter {

    static final Duration LIVE = Duration.ofMillis(250);

    private final String what;
    private final boolean terminal;
    private final Duration every;
    private final LongSupplier nanos;
    private final Consumer<String> live;
    private final Consumer<String> log;
    private final long startNanos;
    private long lastShownNanos;
    private int lastWidth;
    private RsyncProgress latest;

    /**
     * @param what     what runs, e.g. "watch data target backup: initial sync"
     * @param terminal a person watches a terminal: live line; else log lines
     * @param live     writes text as it is (no line break added) to the terminal
     * @param log      logs one line
     */
    public ProgressReporter(String what, boolean terminal, Duration every, LongSupplier nanos, Consumer<String> live,
                            Consumer<String> log) {
        this.what = what;
        this.terminal = terminal;
        this.every = every;
        this.nanos = nanos;
        this.live = live;
        this.log = log;
        this.startNanos = nanos.getAsLong();
        this.lastShownNanos = startNanos;
    }

    /** The latest figures (what the console's status shows for a running full sync), or null before the first. */
    public synchronized RsyncProgress latest() {
        return latest;
    }

    public synchronized void update(RsyncProgress p) {
        latest = p;
        long now = nanos.getAsLong();
        if (now - lastShownNanos < (terminal ? LIVE : every).toNanos()) return;
        lastShownNanos = now;
        String text = what + " " + describe(p);
        if (terminal) {
            live.accept("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
            lastWidth = text.length();
        } else {
            log.accept(text);
        }
    }

    /** The run ended: the live line is ended (its last figures stay on the screen). */
    public synchronized void finish() {
        if (terminal && lastWidth > 0) live.accept("\n");
        lastWidth = 0;
    }

    /** "45%, 1.2 GiB, 12,345 files, 11.8 MiB/s, ETA 0:08:12" ("listing" while rsync still finds files). */
    static String describe(RsyncProgress p) {
        StringBuilder b = new StringBuilder();
        b.append(p.percent()).append("%, ").append(bytes(p.bytes())).append(", ")
                .append(String.format(Locale.ROOT, "%,d", p.files())).append(p.files() == 1 ? " file" : " files");
        if (p.toCheck() >= 0) {
            b.append(" (").append(String.format(Locale.ROOT, "%,d", p.toCheck())).append(" of ")
                    .append(String.format(Locale.ROOT, "%,d", p.total())).append(p.listing() ? " to check, listing" : " to check")
                    .append(')');
        }
        b.append(", ").append(bytes((long) p.bytesPerSecond())).append("/s");
        long s = p.eta().toSeconds();
        b.append(String.format(Locale.ROOT, ", ETA %d:%02d:%02d", s / 3600, s / 60 % 60, s % 60));
        return b.toString();
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
