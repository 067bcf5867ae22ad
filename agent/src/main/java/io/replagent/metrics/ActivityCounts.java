package io.replagent.metrics;

import io.replagent.replicate.ReplicationStatus;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts what the replication's activity stream reports per target: rsync runs by exit code, full syncs by kind,
 * batches refused by the mass-delete guard. One call per rsync, never on the per-event path.
 */
final class ActivityCounts implements Consumer<ReplicationStatus.Activity> {

    /** Activities that ran no rsync. */
    private static final Set<String> NO_RSYNC = Set.of("refused", "overflow");
    static final Set<String> FULL_SYNCS = Set.of("initial", "full");

    /** What one target has seen. */
    static final class Target {
        final Map<Integer, LongAdder> runsByExit = new ConcurrentHashMap<>();
        final Map<String, LongAdder> fullSyncs = new ConcurrentHashMap<>();
        final LongAdder refused = new LongAdder();

        Map<Integer, Long> runs() {
            Map<Integer, Long> out = new TreeMap<>();
            runsByExit.forEach((exit, n) -> out.put(exit, n.sum()));
            return out;
        }

        long fullSyncs(String kind) {
            LongAdder n = fullSyncs.get(kind);
            return n == null ? 0 : n.sum();
        }
    }

    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    @Override public void accept(ReplicationStatus.Activity a) {
        if (a.target() == null) return; // a watch's event (an overflow): its count is in the status
        Target t = targets.computeIfAbsent(key(a.watch(), a.target()), k -> new Target());
        if (a.kind().equals("refused")) t.refused.increment();
        if (NO_RSYNC.contains(a.kind())) return;
        t.runsByExit.computeIfAbsent(a.exit(), e -> new LongAdder()).increment();
        if (FULL_SYNCS.contains(a.kind())) t.fullSyncs.computeIfAbsent(a.kind(), k -> new LongAdder()).increment();
    }

    /** The counts of one target (zeros when it has seen nothing yet). */
    Target of(String watch, String target) {
        Target t = targets.get(key(watch, target));
        return t == null ? new Target() : t;
    }

    private static String key(String watch, String target) {
        return watch + "\0" + target;
    }
}
