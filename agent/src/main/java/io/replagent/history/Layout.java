package io.replagent.history;

import io.replagent.state.Target;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Where history lives on a target, under the reserved {@code .agent/} directory, and how batches are named:
 * the UTC time the batch started, always with milliseconds, so names sort as times do.
 */
public final class Layout {

    /** The reserved directory at every target's root: replication never lists, sends or deletes it. */
    public static final String RESERVED = ".agent";
    public static final String HISTORY = RESERVED + "/history";
    public static final String JOURNAL = RESERVED + "/journal";
    /** The filter that keeps pushes away from the reserved directory (rsync protects only the current backup dir). */
    public static final String EXCLUDE = "--exclude=/" + RESERVED + "/";

    private static final DateTimeFormatter BATCH = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Layout() {}

    /** The batch name of an instant (truncated to the millisecond). */
    public static String batch(Instant time) {
        return BATCH.format(time);
    }

    /** The time a batch name stands for, empty when the name is not one (a stray directory is not a batch). */
    public static Optional<Instant> batchTime(String name) {
        if (name.length() != 24) return Optional.empty();
        try {
            return Optional.of(Instant.from(BATCH.parse(name)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The name of the next batch of a target: the batch's start time, or 1 ms after the previous one when the clock
     * did not move (or went back), so two batches never share a directory and names keep their order.
     */
    public static String nextBatch(Instant now, String previous) {
        Instant t = now.truncatedTo(ChronoUnit.MILLIS);
        if (previous != null) {
            Instant last = batchTime(previous).orElseThrow(() -> new IllegalArgumentException("not a batch: " + previous));
            if (!t.isAfter(last)) t = last.plusMillis(1);
        }
        return batch(t);
    }

    /**
     * rsync's {@code --backup-dir} for a push of batch {@code batch} whose destination is the target root
     * ({@code prefix} empty) or the directory {@code prefix} below it (a moved directory). Absolute, so that a daemon
     * with {@code use chroot = no} does not strip a {@code ../} and put the versions inside the mirror: a module-absolute
     * path over a daemon, the file-system path for a local target.
     */
    public static String backupDir(Target.Endpoint endpoint, String batch, String prefix) {
        return reserved(endpoint, "history/" + batch + (prefix.isEmpty() ? "" : "/" + prefix));
    }

    /** A path under the target's {@code .agent/} as rsync options that take a directory want it (see backupDir). */
    public static String reserved(Target.Endpoint endpoint, String below) {
        String root;
        if (endpoint instanceof Target.Daemon d) root = d.path().isEmpty() ? "" : "/" + d.path();
        else if (endpoint instanceof Target.Local l) root = l.path().toString().replaceAll("/+$", "");
        else throw new IllegalArgumentException("no reserved directory for " + endpoint);
        return root + "/" + RESERVED + "/" + below;
    }
}
