package io.replagent.replicate;

import io.replagent.replicate.DirtyTree.Entry;
import io.replagent.replicate.DirtyTree.State;
import io.replagent.state.Watch;
import io.replagent.testing.Watches;
import io.replagent.tree.Change;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline's bookkeeping driven by hand with a fake clock: no threads, no rsync. */
class TargetStateTest {

    private static final long S = 1_000_000_000L;
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.5);
    private static final BatchPolicy POLICY = new BatchPolicy(Duration.ofSeconds(1), 1000);
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static TargetState state() {
        return new TargetState(Watches.watch(Path.of("/src")), 0);
    }

    private static Settlement.Settled settled(RsyncExit worst, List<DirtyTree.Batch> requeue, Set<String> delivered,
                                              Map<String, String> failed, PauseState.Reason pause) {
        return new Settlement.Settled(worst, requeue, List.of(), delivered, failed, null, pause, pause == null ? null : "why", -1);
    }

    private static RsyncRunner.Result ran(int exit) {
        return new RsyncRunner.Result(exit, 0.1, "Total bytes sent: 1,000\nNumber of regular files transferred: 2\n", "");
    }

    @Test void aFailureBacksOffAndASuccessClearsIt() {
        TargetState s = state();
        s.pending.mark("a", Change.MODIFIED, false, false, 0);
        assertEquals(S, s.untilDue(POLICY, 0), "the delay");
        JobPlanner.Work work = s.take();
        assertEquals("syncing", s.status("t", "d", false, 0, AT).state());
        DirtyTree.Batch failed = new DirtyTree.Batch(false, List.of(new Entry("a", State.CHANGED, false)), 0);
        s.settle(List.of(settled(RsyncExit.TRANSIENT, List.of(failed), Set.of(), Map.of("a", "rsync exit 10"), null)),
                List.of(ran(10)), false, BACKOFF, 2 * S, AT);
        ReplicationStatus.TargetStatus t = s.status("t", "d", false, 2 * S, AT);
        assertEquals("retrying", t.state());
        assertEquals(1, t.attempt());
        assertEquals(AT.plusSeconds(1), t.nextRetry());
        assertEquals(1, t.failureCount());
        assertEquals(1, t.queueDepth());
        assertEquals(S, s.untilDue(POLICY, 2 * S), "waits for the backoff");
        assertTrue(s.needsPrepare, "the first push prepares .agent/tmp/");
        s.needsPrepare = false;
        s.take();
        s.settle(List.of(settled(RsyncExit.TRANSIENT, List.of(failed), Set.of(), Map.of("a", "rsync exit 5"), null)),
                List.of(new RsyncRunner.Result(5, 0.1, "", "@ERROR: max connections (1) reached -- try again later")),
                false, BACKOFF, 2 * S, AT);
        assertFalse(s.needsPrepare, "a refused connection wrote nothing");
        s.take();
        s.settle(List.of(settled(RsyncExit.TRANSIENT, List.of(failed), Set.of(), Map.of("a", "rsync exit 10"), null)),
                List.of(new RsyncRunner.Result(10, 0.1, "", "rsync: [sender] write error: Broken pipe (32)")), false, BACKOFF, 2 * S, AT);
        assertTrue(s.needsPrepare, "a connection lost mid-transfer may leave temp files: the next push prepares again");
        s.attempt = 1;
        s.retryAtNanos = 3 * S;
        s.take();
        s.settle(List.of(settled(RsyncExit.OK, List.of(), Set.of("a"), Map.of(), null)), List.of(ran(0)), false, BACKOFF, 4 * S, AT);
        t = s.status("t", "d", false, 4 * S, AT);
        assertEquals("idle", t.state());
        assertEquals(0, t.attempt());
        assertEquals(0, t.failureCount());
        assertEquals(AT, t.lastSuccess());
        assertEquals(2000, t.bytesSent());
        assertEquals(4, t.rsyncRuns());
        assertEquals(4, t.batches());
        assertEquals(-1, s.untilDue(POLICY, 4 * S), "nothing to do");
        assertTrue(work.moves().isEmpty());
    }

    @Test void aPauseHoldsEverythingAndStatusShowsItsReason() {
        TargetState s = state();
        s.pauses.pause(PauseState.Reason.OPERATOR, "paused by operator");
        s.pending.mark("a", Change.MODIFIED, false, false, 0);
        assertEquals(-1, s.untilDue(POLICY, 10 * S));
        ReplicationStatus.TargetStatus t = s.status("t", "d", false, 10 * S, AT);
        assertEquals("paused", t.state());
        assertEquals("operator", t.pauseReason());
        assertEquals("paused by operator", t.alert());
        s.attention = "rsync exit 11: No space left on device";
        assertEquals("paused by operator", s.status("t", "d", false, 0, AT).alert(), "the pause's alert first");
        s.pauses.resume();
        assertNull(s.status("t", "d", false, 0, AT).pauseReason());
        assertEquals("rsync exit 11: No space left on device", s.status("t", "d", false, 0, AT).alert());
    }

    @Test void aRefusedBatchGoesBackAndRetryAllowingDeletesConfirmsIt() {
        TargetState s = state();
        s.pending.mark("gone", Change.DELETED, false, false, 0);
        JobPlanner.Work work = s.take();
        s.hold(work, "mass delete held: 1 deletes", S);
        assertEquals("mass_delete", s.status("t", "d", false, S, AT).pauseReason());
        assertEquals(1, s.pending.snapshot().deletes(), "the delete is still counted");
        s.retry(false);
        assertTrue(s.pauses.paused(), "a retry alone does not confirm");
        s.retry(true);
        assertFalse(s.pauses.paused());
        assertTrue(s.deletesConfirmed);
        s.take();
        s.settle(List.of(settled(RsyncExit.OK, List.of(), Set.of("gone"), Map.of(), null)), List.of(ran(0)), false, BACKOFF, 2 * S, AT);
        assertFalse(s.deletesConfirmed, "a confirmation covers one delivery");
    }

    @Test void theInitialSyncEndsOnlyWhenItSucceeded() {
        TargetState s = state();
        s.fullSync(true, 0);
        assertEquals(0, s.untilDue(POLICY, 0));
        assertTrue(s.take().initial());
        s.settle(List.of(settled(RsyncExit.PERMANENT, List.of(new DirtyTree.Batch(true, List.of(), 0)), Set.of(),
                Map.of("", "auth failed"), PauseState.Reason.ERROR)), List.of(ran(5)), true, BACKOFF, S, AT);
        assertEquals("error", s.status("t", "d", false, S, AT).pauseReason());
        assertEquals(0, s.attempt, "a pause is not a backoff");
        s.retry(false);
        assertTrue(s.take().initial(), "still the initial sync (its delete rule)");
        s.settle(List.of(settled(RsyncExit.OK, List.of(), Set.of(""), Map.of(), null)), List.of(ran(0)), true, BACKOFF, 2 * S, AT);
        s.fullSync(false, 3 * S);
        assertFalse(s.take().initial());
    }

    @Test void periodicFullSyncAndAuditComeDue() {
        TargetState s = new TargetState(Watches.withAuditInterval(Watches.withFullSyncInterval(Watches.watch(Path.of("/src")),
                Duration.ofSeconds(10)), Duration.ofSeconds(4)), 0);
        assertEquals(4 * S, s.untilDue(POLICY, 0));
        assertTrue(s.auditDue(4 * S));
        assertFalse(s.auditDue(4 * S));
        assertEquals(0, s.untilDue(POLICY, 10 * S), "the full sync is marked when due");
        assertTrue(s.take().batch().full());
        s.pending.mark("a", Change.MODIFIED, false, false, 10 * S);
        s.retryAtNanos = 15 * S;
        assertEquals(5 * S, s.untilDue(POLICY, 10 * S), "a due audit does not cut a backoff short");
    }

    @Test void aFileRenamePairsWithTheTargetsCopyOnlyWhenThatCopyIsCurrent() {
        TargetState s = state();
        s.movedFile("clean", "c2", 0);
        s.pending.mark("new", Change.CREATED, false, false, 0);
        s.movedFile("new", "n2", 0);                     // never sent: the target has no copy
        s.pending.mark("changed", Change.MODIFIED, false, false, 0);
        s.movedFile("changed", "ch2", 0);                // the target's copy is older
        s.moved("d", "e", 0);
        s.movedFile("e/x", "e/y", 0);                    // the target has it in d/ until the move is sent
        s.movedFile("f", "g/h", 0);
        s.moved("g", "k", 0);                            // the new name moves along
        JobPlanner.Work work = s.take();
        assertEquals(List.of(new Renames.Rename("clean", "c2"), new Renames.Rename("d/x", "e/y"), new Renames.Rename("f", "k/h")),
                work.renames());
        assertEquals(List.of(new Entry("c2", State.CHANGED, false), new Entry("ch2", State.CHANGED, false),
                new Entry("changed", State.DELETED, false, true), new Entry("clean", State.DELETED, false, true),
                new Entry("d", State.DELETED, false, true), new Entry("e/x", State.DELETED, false, true),
                new Entry("e/y", State.CHANGED, false),
                new Entry("f", State.DELETED, false, true), new Entry("g", State.DELETED, false, true),
                new Entry("n2", State.CHANGED, false)), work.batch().entries(),
                "a new name is 'changed': it may have replaced a file the target has, which a later delete must remove");
    }

    @Test void renamesAreNoDeletesForTheMassDeleteGuard() {
        Watch guarded = Watches.withMaxDelete(Watches.watch(Path.of("/src")), new Watch.DeleteGuard(10, 0));
        TargetState s = new TargetState(guarded, 0);
        for (int i = 0; i < 1000; i++) s.movedFile("f" + i, "renamed-" + i, 0);
        s.moved("dir", "dir2", 0);
        JobPlanner.Work work = s.take();
        assertEquals(0, work.batch().deletes());
        assertNull(s.decide(guarded, work, enough -> 0, 0).held(), "a rename is not a delete");
        for (int i = 0; i < 11; i++) {
            s.movedFile("g" + i, "h" + i, 0);
            s.pending.mark("h" + i, Change.DELETED, false, false, 0); // renamed, then removed: gone after all
        }
        assertEquals(11, s.take().batch().deletes());
    }

    @Test void theRenamesOfABatchGoBackWithTheNewNamesThatDidNot() {
        TargetState s = state();
        s.movedFile("a", "b", 0);
        s.movedFile("c", "d/e", 0);
        s.movedFile("x", "y", 0);
        JobPlanner.Work work = s.take();
        s.movedFile("b", "b2", S);                       // renamed again while it was sent
        DirtyTree.Batch back = new DirtyTree.Batch(false, List.of(new Entry("b", State.CHANGED, false),
                new Entry("d", State.CHANGED, true)), 0);
        s.settle(List.of(settled(RsyncExit.TRANSIENT, List.of(back), Set.of("y"), Map.of("b", "rsync exit 10"), null)),
                List.of(ran(10)), false, BACKOFF, 2 * S, AT);
        assertEquals(List.of(new Renames.Rename("c", "d/e"), new Renames.Rename("a", "b2")), s.take().renames(),
                "y was delivered; b went back and is b2 now; d/e is below a directory that went back");
        assertEquals(3, work.renames().size());
        s.movedFile("p", "q", 3 * S);
        JobPlanner.Work held = s.take();
        s.hold(held, "held", 3 * S);
        assertEquals(List.of(new Renames.Rename("p", "q")), s.take().renames(), "a held batch keeps its renames");
        s.movedFile("r", "t", 4 * S);
        s.fullSync(false, 4 * S);
        assertEquals(List.of(), s.take().renames(), "a full sync sends everything");
    }

    @Test void aRepairMarksWhatTheAuditFound() {
        TargetState s = state();
        s.repair(new Audit.Result(AT, 1, 1, 1, List.of(new Audit.Difference("m", Audit.Kind.MISSING, true),
                new Audit.Difference("d", Audit.Kind.DIFFERS, false), new Audit.Difference("x", Audit.Kind.EXTRA, false)),
                false, null), 0);
        assertEquals(List.of(new Entry("d", State.CHANGED, false), new Entry("m", State.CREATED, true),
                new Entry("x", State.DELETED, false)), s.take().batch().entries());
    }
}
