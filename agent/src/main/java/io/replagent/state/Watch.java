package io.replagent.state;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One watched tree, replicated to every target.
 *
 * @param delay            how long the first change of a batch waits for others to join it
 * @param maxDelays        pending changes that fire a batch at once, without waiting for the delay
 * @param maxProcesses     rsyncs in flight per target
 * @param init             full sync at start (covers whatever happened while the agent was not running)
 * @param fullSyncInterval periodic full sync as a safety net, {@link Duration#ZERO} = off
 * @param maxDelete        mass-delete guard: refuse to propagate more deletes than this in one batch or full sync
 * @param auditInterval    periodic audit (checksum comparison of source and target, differences repaired), zero = off
 * @param onBatch          hooks called after each batch a target received in full, or empty
 */
public record Watch(
        String name,
        Path source,
        List<Target> targets,
        Set<Event> events,
        Duration delay,
        int maxDelays,
        int maxProcesses,
        DeleteMode delete,
        List<String> exclude,
        boolean init,
        RsyncOptions rsync,
        Duration fullSyncInterval,
        DeleteGuard maxDelete,
        Duration auditInterval,
        Optional<BatchHook> onBatch) {

    public Watch {
        targets = List.copyOf(targets);
        events = Set.copyOf(events);
        exclude = List.copyOf(exclude);
    }

    /** This watch of another source path (re-rooted, or a symlink resolved). */
    public Watch withSource(Path newSource) {
        return new Watch(name, newSource, targets, events, delay, maxDelays, maxProcesses, delete, exclude, init, rsync,
                fullSyncInterval, maxDelete, auditInterval, onBatch);
    }

    /** This watch with other targets (re-rooted). */
    public Watch withTargets(List<Target> newTargets) {
        return new Watch(name, source, newTargets, events, delay, maxDelays, maxProcesses, delete, exclude, init, rsync,
                fullSyncInterval, maxDelete, auditInterval, onBatch);
    }

    /**
     * What runs after a batch was delivered: a program (argv, no shell; the batch's paths on stdin), a URL the summary
     * is POSTed to, or both; each bounded by {@code timeout}.
     */
    public record BatchHook(List<String> exec, Optional<URI> webhook, Duration timeout) {
        public BatchHook {
            exec = List.copyOf(exec);
        }
    }

    /** inotify event groups the state can subscribe to. */
    public enum Event { CLOSE_WRITE, MODIFY, CREATE, DELETE, MOVE, ATTRIB }

    /** true: always; false: never; startup: only in the initial sync; running: only for live changes. */
    public enum DeleteMode {
        TRUE, FALSE, STARTUP, RUNNING;

        public boolean atStartup() { return this == TRUE || this == STARTUP; }
        public boolean whileRunning() { return this == TRUE || this == RUNNING; }
    }

    /**
     * A limit on deletes: an absolute count, or a percentage (of the files under the source for a batch, of the
     * target's entries for a full sync). {@code fullSyncsOnly}: the default when the state sets none, which holds only
     * full and initial syncs (an unmounted or emptied source must not wipe the backup), not live batches.
     */
    public record DeleteGuard(long count, int percent, boolean fullSyncsOnly) {
        public static final DeleteGuard NONE = new DeleteGuard(0, 0);
        /** No max_delete in the state: a full sync that would delete more than half of the target is held. */
        public static final DeleteGuard DEFAULT = new DeleteGuard(0, 50, true);

        public DeleteGuard(long count, int percent) {
            this(count, percent, false);
        }

        public boolean enabled() { return count > 0 || percent > 0; }

        public boolean guardsBatches() { return enabled() && !fullSyncsOnly; }
    }

    /** rsync options of the pushes. */
    public record RsyncOptions(boolean compress, int bwlimitKbps, Duration timeout, boolean checksum, List<String> extra) {
        public RsyncOptions {
            extra = List.copyOf(extra);
        }
    }
}
