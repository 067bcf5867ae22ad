package io.replagent.service;

import io.replagent.replicate.ReplicationStatus;

import java.util.HashSet;
import java.util.Set;

/**
 * When the agent is ready in systemd's sense: every watch is set up (the caller says so once the replication has
 * started) and every target that does an initial sync has finished its first attempt. A target's first activity
 * after the start is its initial sync's outcome (delivered, failed, or held by the delete guard); a target paused
 * before it ran counts as settled, so nothing holds the start forever. A target that failed is retried and shown
 * in STATUS: a backup host down at boot must not hold up the boot.
 */
final class Readiness {

    private final Set<String> awaiting;

    /** @param initialSyncs "watch/target" of every target whose watch does an initial sync */
    Readiness(Set<String> initialSyncs) {
        this.awaiting = new HashSet<>(initialSyncs);
    }

    synchronized void saw(ReplicationStatus.Activity a) {
        if (a.target() != null) awaiting.remove(a.watch() + "/" + a.target());
    }

    synchronized boolean ready(ReplicationStatus status) {
        for (ReplicationStatus.WatchStatus w : status.watches()) {
            for (ReplicationStatus.TargetStatus t : w.targets()) {
                if (t.state().equals("paused")) awaiting.remove(w.name() + "/" + t.name());
            }
        }
        return awaiting.isEmpty();
    }

    synchronized int waiting() {
        return awaiting.size();
    }
}
