package io.replagent.replicate;

import io.replagent.replicate.DirtyTree.Entry;
import io.replagent.replicate.DirtyTree.State;
import io.replagent.replicate.JobPlanner.Job;
import io.replagent.replicate.JobPlanner.Kind;
import io.replagent.state.Watch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Results as rsync reports them (exit code, --stats, its error lines) → what the pipeline books. */
class SettlementTest {

    private static final List<String> ROOTS = List.of("/src/");
    private static final String STATS = "Number of files: 21 (reg: 20, dir: 1)\nNumber of created files: 0\n";

    private static Job list(Entry... entries) {
        return new Job(Kind.BATCH, 1, List.of("rsync", "--ignore-times"), new byte[0],
                new DirtyTree.Batch(false, List.of(entries), 0), null);
    }

    private static Job full(Kind kind, String maxDelete) {
        return new Job(kind, 1, List.of("rsync", "--delete", maxDelete), null, new DirtyTree.Batch(true, List.of(), 0), null);
    }

    private static RsyncRunner.Result result(int exit, String stdout, String stderr) {
        return new RsyncRunner.Result(exit, 0.1, stdout, stderr);
    }

    private static final Entry A = new Entry("a", State.CHANGED, false);
    private static final Entry B = new Entry("b", State.CHANGED, false);
    private static final Entry C = new Entry("c", State.CREATED, false);

    @Test void outcomes() {
        record Case(String name, Job job, RsyncRunner.Result r, RsyncExit worst, Set<String> delivered,
                    Set<String> failed, PauseState.Reason pause) {}
        String partial = "rsync: [sender] send_files failed to open \"/src/b\": Permission denied (13)\n"
                + "rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394)";
        List<Case> cases = List.of(
                new Case("delivered", list(A, B, C), result(0, STATS, ""), RsyncExit.OK, Set.of("a", "b", "c"), Set.of(), null),
                new Case("vanished files are delivered (their delete is another event)", list(A), result(24, "", "file has vanished"),
                        RsyncExit.OK, Set.of("a"), Set.of(), null),
                new Case("exit 23: only the file rsync named goes back", list(A, B, C), result(23, "", partial),
                        RsyncExit.PARTIAL, Set.of("a", "c"), Set.of("b"), null),
                new Case("exit 23 that names no listed path: all of it goes back", list(A, B), result(23, "",
                        "rsync error: some files/attrs were not transferred (code 23)"), RsyncExit.PARTIAL, Set.of(), Set.of("a", "b"), null),
                new Case("connection refused: retried", list(A), result(10, "", "rsync: failed to connect to 127.0.0.1: Connection refused (111)"),
                        RsyncExit.TRANSIENT, Set.of(), Set.of("a"), null),
                new Case("bad password: paused", list(A), result(5, "", "@ERROR: auth failed on module data"),
                        RsyncExit.PERMANENT, Set.of(), Set.of("a"), PauseState.Reason.ERROR),
                new Case("the target's temp dir is gone: retried (and prepared again)", list(A), result(1, "",
                        "The temp-dir does not exist: .agent/tmp\nrsync error: syntax or usage error (code 1)"),
                        RsyncExit.TRANSIENT, Set.of(), Set.of("a"), null),
                new Case("a full sync delivered", full(Kind.FULL, "--max-delete=0"), result(0, STATS, ""), RsyncExit.OK,
                        Set.of(""), Set.of(), null),
                new Case("a full sync's delete pass stopped at the limit: held", full(Kind.FULL_DELETES, "--max-delete=5"),
                        result(0, STATS, "Deletions stopped due to --max-delete limit (3 skipped)"), RsyncExit.DELETES_REFUSED,
                        Set.of(), Set.of(""), PauseState.Reason.MASS_DELETE));
        for (Case c : cases) {
            Settlement.Settled s = Settlement.settle(List.of(c.job()), List.of(c.r()), Watch.DeleteGuard.DEFAULT, ROOTS);
            assertEquals(c.worst(), s.worst(), c.name());
            assertEquals(c.delivered(), s.delivered(), c.name());
            assertEquals(c.failed(), s.failed().keySet(), c.name());
            assertEquals(c.pause(), s.pause(), c.name());
            long requeued = s.requeue().stream().mapToLong(b -> b.full() ? 1 : b.entries().size()).sum();
            assertEquals(c.failed().size(), requeued, c.name() + ": what failed goes back to the queue");
        }
    }

    @Test void aFullSyncsFirstPassGetsTheGuardsVerdict() {
        // 21 entries sent, none created, 10 skipped: 10 of 31 on the target → within 50%: a second pass
        Settlement.Settled allowed = Settlement.settle(List.of(full(Kind.INITIAL, "--max-delete=0")), List.of(result(0, STATS,
                "Deletions stopped due to --max-delete limit (10 skipped)")), Watch.DeleteGuard.DEFAULT, ROOTS);
        assertEquals(RsyncExit.OK, allowed.worst());
        assertEquals(15, allowed.deletePass());
        assertNull(allowed.pause());
        // an emptied source: 1 entry sent, 200 skipped → held, nothing deleted, the full sync waits for a confirmation
        Settlement.Settled held = Settlement.settle(List.of(full(Kind.INITIAL, "--max-delete=0")), List.of(result(25,
                "Number of files: 1 (dir: 1)\nNumber of created files: 0\n",
                "Deletions stopped due to --max-delete limit (200 skipped)\nrsync error: the --max-delete limit stopped deletions (code 25)")),
                Watch.DeleteGuard.DEFAULT, ROOTS);
        assertEquals(PauseState.Reason.MASS_DELETE, held.pause());
        assertEquals(-1, held.deletePass());
        assertTrue(held.pauseAlert().startsWith("mass delete held: the initial sync would delete 200 of 201"), held.pauseAlert());
        assertTrue(held.requeue().get(0).full());
        assertEquals(Map.of("", held.pauseAlert()), held.failed());
    }

    @Test void aFailedLinkPhaseOrCleanupOnlyCostsBytesOrSpace() {
        DirtyTree.Batch nothing = new DirtyTree.Batch(false, List.of(), 0);
        Job link = new Job(Kind.LINK, 0, List.of("rsync", "-rH"), null, nothing, null);
        Job cleanup = new Job(Kind.CLEANUP, 2, List.of("rsync", "-r"), null, nothing, null);
        RsyncRunner.Result refused = result(1, "", "rsync: on remote machine: --hard-links: unknown option\nrsync error: syntax or usage error (code 1)");
        Settlement.Settled s = Settlement.settle(List.of(link, list(A), cleanup), List.of(refused, result(0, STATS, ""), refused),
                Watch.DeleteGuard.DEFAULT, ROOTS);
        assertEquals(RsyncExit.OK, s.worst());
        assertEquals(Set.of("a"), s.delivered());
        assertEquals(List.of(), s.requeue());
        assertNull(s.pause());
    }

    @Test void aFullTargetIsAnAlertWithoutAPause() {
        Settlement.Settled s = Settlement.settle(List.of(list(A)), List.of(result(11, "",
                "rsync: [receiver] write failed on \"a\": No space left on device (28)")), Watch.DeleteGuard.NONE, ROOTS);
        assertEquals(RsyncExit.TRANSIENT, s.worst());
        assertNull(s.pause());
        assertTrue(s.attention().contains("No space left"), s.attention());
    }
}
