package io.replagent.service;

import static io.replagent.testing.Statuses.activity;
import static io.replagent.testing.Statuses.idle;
import static io.replagent.testing.Statuses.target;
import static io.replagent.testing.Statuses.watch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.replicate.ReplicationStatus;
import io.replagent.testing.Statuses;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    static final ReplicationStatus SYNCING = Statuses.of(watch("data", 1, 0, 0, null,
            target("a", "syncing", null, 1, 0, null, 0, 0, 0, 0, 0), target("b", "syncing", null, 1, 0, null, 0, 0, 0, 0, 0)));

    @Test
    void readyOnceEveryTargetsInitialSyncHasAnOutcome() {
        Readiness r = new Readiness(Set.of("data/a", "data/b"));
        assertFalse(r.ready(SYNCING));
        assertEquals(2, r.waiting());
        r.saw(activity("data", "a", "initial", 0));
        r.saw(activity("data", null, "overflow", 0)); // a watch's event says nothing of a target
        assertFalse(r.ready(SYNCING));
        r.saw(activity("data", "b", "initial", 10)); // failed: retried, and shown in STATUS; the boot goes on
        assertTrue(r.ready(SYNCING));
        assertEquals(0, r.waiting());
    }

    @Test
    void aTargetHeldByTheDeleteGuardOrPausedBeforeItRanHoldsNothingUp() {
        Readiness r = new Readiness(Set.of("data/a", "data/b"));
        r.saw(activity("data", "a", "refused", 0));
        ReplicationStatus bPaused = Statuses.of(watch("data", 1, 0, 0, null, idle("a", Instant.EPOCH),
                target("b", "paused", "paused by operator", 1, 0, null, 0, 0, 0, 0, 0)));
        assertTrue(r.ready(bPaused));
    }

    @Test
    void withoutInitialSyncsTheAgentIsReadyOnceItsWatchesAreUp() {
        assertTrue(new Readiness(Set.of()).ready(SYNCING));
    }
}
