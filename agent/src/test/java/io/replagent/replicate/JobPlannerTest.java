package io.replagent.replicate;

import io.replagent.replicate.DirtyTree.Entry;
import io.replagent.replicate.DirtyTree.State;
import io.replagent.replicate.JobPlanner.Kind;
import io.replagent.state.Target;
import io.replagent.testing.Watches;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobPlannerTest {

    private static final Target LOCAL = new Target("t", new Target.Local(Path.of("/backup")), Optional.empty(), Optional.empty());
    private static final Set<String> DIRECTORIES = Set.of("moved", "d");
    private final JobPlanner planner = new JobPlanner(new RsyncArgs("rsync", Watches.watch(Path.of("/src"), LOCAL), LOCAL),
            4, DIRECTORIES::contains);

    /** A job as the table states it: kind, phase, listed paths, and the check of a list push. */
    private record Planned(Kind kind, int phase, List<String> listed, String check) {}

    private static Planned planned(JobPlanner.Job j) {
        String check = j.argv().contains("--ignore-times") ? "named" : j.argv().contains("--checksum") ? "checksum" : "-";
        if (j.argv().contains("--fuzzy")) check += "+fuzzy";
        return new Planned(j.kind(), j.phase(), j.move() != null ? List.of(j.move().to()) : j.listed(), check);
    }

    private static JobPlanner.Work work(List<JobPlanner.Move> moves, Entry... entries) {
        return new JobPlanner.Work(new DirtyTree.Batch(false, List.of(entries), 0), moves, false);
    }

    @Test void marksToJobs() {
        record Case(String name, JobPlanner.Work work, boolean delete, List<Planned> expected) {}
        List<Case> cases = List.of(
                new Case("named files are sent even when size and mtime match", work(List.of(),
                        new Entry("b", State.CHANGED, false), new Entry("a", State.CREATED, false)), true,
                        List.of(new Planned(Kind.BATCH, 1, List.of("a", "b"), "named"))),
                new Case("a new directory is named too", work(List.of(), new Entry("d", State.CREATED, true)), true,
                        List.of(new Planned(Kind.BATCH, 1, List.of("d"), "named"))),
                new Case("a collapsed directory is compared by content", work(List.of(),
                        new Entry("d", State.CHANGED, true), new Entry("f", State.CHANGED, false)), true,
                        List.of(new Planned(Kind.BATCH, 1, List.of("f"), "named"), new Planned(Kind.CHECKSUM, 1, List.of("d"), "checksum+fuzzy"))),
                new Case("a directory new while a push ran is named, not compared by content", work(List.of(),
                        new Entry("d", State.CHANGED, true, false, true)), true,
                        List.of(new Planned(Kind.BATCH, 1, List.of("d"), "named"))),
                new Case("deletes after the sends, which may build a renamed file from the old name", work(List.of(),
                        new Entry("old", State.DELETED, false), new Entry("new", State.CREATED, false)), true,
                        List.of(new Planned(Kind.BATCH, 1, List.of("new"), "named+fuzzy"), new Planned(Kind.DELETES, 2, List.of("old"), "named"))),
                new Case("deletes alone run at once", work(List.of(), new Entry("old", State.DELETED, false)), true,
                        List.of(new Planned(Kind.DELETES, 1, List.of("old"), "named"))),
                new Case("deletes not propagated", work(List.of(), new Entry("old", State.DELETED, false),
                        new Entry("new", State.CREATED, false)), false, List.of(new Planned(Kind.BATCH, 1, List.of("new"), "named"))),
                new Case("moves first, one at a time", work(List.of(new JobPlanner.Move("m0", "moved")),
                        new Entry("m0", State.DELETED, false)), true,
                        List.of(new Planned(Kind.MOVE, 0, List.of("moved"), "-"), new Planned(Kind.DELETES, 1, List.of("m0"), "named"))),
                new Case("a move whose directory is gone again sends nothing for it", work(List.of(new JobPlanner.Move("m0", "gone"))),
                        true, List.of()),
                new Case("a name argv cannot carry: sent as a new directory", work(List.of(new JobPlanner.Move("m0", "st*r"))),
                        true, List.of(new Planned(Kind.BATCH, 1, List.of("st*r"), "named"))));
        for (Case c : cases) {
            assertEquals(c.expected(), planner.plan(c.work(), c.delete(), -1, true).stream().map(JobPlannerTest::planned).toList(), c.name());
        }
    }

    @Test void renamedFilesAreLinkedFirstThenComparedByChecksumOnTheirOldCopiesThenCleanedUp() {
        JobPlanner staged = new JobPlanner(new RsyncArgs("rsync", Watches.watch(Path.of("/src"), LOCAL), LOCAL), 4,
                DIRECTORIES::contains, Path.of("/state/renames/w@t"));
        List<Renames.Rename> renames = List.of(new Renames.Rename("old", "new"), new Renames.Rename("d/a", "moved/b"));
        JobPlanner.Work work = new JobPlanner.Work(new DirtyTree.Batch(false, List.of(new Entry("f", State.CHANGED, false),
                new Entry("new", State.CHANGED, false), new Entry("old", State.DELETED, false, true),
                new Entry("d/a", State.DELETED, false, true), new Entry("n", State.CREATED, true)), 0),
                List.of(new JobPlanner.Move("m0", "moved")), renames, false);
        List<JobPlanner.Job> jobs = staged.plan(work, true, -1, true);
        assertEquals(List.of(new Planned(Kind.LINK, 0, List.of(), "-"), new Planned(Kind.MOVE, 0, List.of("moved"), "-"),
                new Planned(Kind.BATCH, 1, List.of("f", "n"), "named+fuzzy"), new Planned(Kind.CHECKSUM, 1, List.of("new"), "checksum+fuzzy"),
                new Planned(Kind.DELETES, 2, List.of("d/a", "old"), "named"), new Planned(Kind.CLEANUP, 3, List.of(), "-")),
                jobs.stream().map(JobPlannerTest::planned).toList());
        assertEquals(List.of(true, false, false, false, false, true), jobs.stream().map(j -> j.kind().aux()).toList());
        String basis = "--copy-dest=/backup/.agent/tmp/renames/.agent/to";
        assertEquals(List.of(false, false, true, true, false, false), jobs.stream().map(j -> j.argv().contains(basis)).toList(),
                "the sends build missing files on the old copies; the deletes need none");
        assertTrue(jobs.get(1).argv().contains("--link-dest=/backup/.agent/tmp/renames/.agent/to/moved"));
        assertEquals(0, jobs.get(4).delivers().deletes(), "the old names of renames are no deletes for the guard");
        assertEquals(planner.plan(work, true, -1, true).stream().map(JobPlannerTest::planned).toList(),
                List.of(new Planned(Kind.MOVE, 0, List.of("moved"), "-"), new Planned(Kind.BATCH, 1, List.of("f", "n", "new"), "named+fuzzy"),
                        new Planned(Kind.DELETES, 2, List.of("d/a", "old"), "named")),
                "without a staging tree (no state directory) a renamed file is sent as a new one");
        assertEquals(List.of(Kind.FULL), staged.plan(new JobPlanner.Work(new DirtyTree.Batch(true, List.of(), 0), List.of(),
                renames, false), true, -1, true).stream().map(JobPlanner.Job::kind).toList(), "a full sync needs no pairs");
    }

    @Test void aFullSyncIsOneJobAndItsDeletePassAnother() {
        JobPlanner.Work full = new JobPlanner.Work(new DirtyTree.Batch(true, List.of(), 0), List.of(), true);
        List<JobPlanner.Job> jobs = planner.plan(full, true, 0, true);
        assertEquals(1, jobs.size());
        assertEquals(Kind.INITIAL, jobs.get(0).kind());
        assertTrue(jobs.get(0).argv().contains("--max-delete=0"));
        JobPlanner.Job second = planner.fullDeletes(full, 40);
        assertEquals(Kind.FULL_DELETES, second.kind());
        assertTrue(second.argv().contains("--max-delete=40") && second.argv().contains("--delete"));
        assertFalse(planner.plan(full, true, -1, true).get(0).argv().stream().anyMatch(a -> a.startsWith("--max-delete")));
        assertFalse(planner.plan(full, true, 0, false).get(0).argv().stream().anyMatch(a -> a.startsWith("--temp-dir")),
                "the first push of a run goes while .agent/tmp/ is made");
    }

    @Test void aMoveOntoADirectoryTheTargetHadIsSentAgainByContentKeepingWhatItReplaces() {
        JobPlanner batch = planner.forBatch("2026-12-01T08:15:02.123Z");
        JobPlanner.Job onto = batch.movedOnto(new JobPlanner.Move("old", "new"), true);
        assertEquals(Kind.CHECKSUM, onto.kind());
        assertEquals(List.of("new"), onto.listed());
        assertArrayEquals(RsyncArgs.pathList(List.of("new")), onto.stdin());
        assertTrue(onto.argv().contains("--checksum") && onto.argv().contains("--delete") && onto.argv().contains("--backup"),
                onto.argv().toString());
        List<JobPlanner.Job> moves = batch.plan(work(List.of(new JobPlanner.Move("m0", "moved"))), true, -1, true).stream()
                .filter(j -> j.kind() == Kind.MOVE).toList();
        assertEquals(1, moves.size());
        assertTrue(moves.get(0).argv().contains("--ignore-existing"));
        assertFalse(planner.plan(work(List.of(new JobPlanner.Move("m0", "moved"))), true, -1, true).stream()
                .anyMatch(j -> j.argv().contains("--ignore-existing")), "without history a move is as before");
    }

    @Test void theOldNamesOfMovesTheJournalAccountsForAreDeletedWithoutCopiesTheOtherDeletesKeepThem() {
        JobPlanner batch = planner.forBatch("2026-12-01T08:15:02.123Z");
        List<JobPlanner.Job> jobs = batch.plan(work(List.of(new JobPlanner.Move("m0", "moved")), new Entry("m0", State.DELETED, true),
                new Entry("gone", State.DELETED, false), new Entry("new", State.CREATED, false)), true, -1, true);
        List<JobPlanner.Job> split = batch.withoutCopies(jobs, Set.of("m0"));
        assertEquals(List.of(new Planned(Kind.MOVE, 0, List.of("moved"), "-"), new Planned(Kind.BATCH, 1, List.of("new"), "named+fuzzy"),
                new Planned(Kind.DELETES, 2, List.of("gone"), "named"), new Planned(Kind.DELETES, 2, List.of("m0"), "named")),
                split.stream().map(JobPlannerTest::planned).toList());
        assertTrue(split.get(2).argv().contains("--backup"), "the other deletes keep their copies");
        assertFalse(split.get(3).argv().stream().anyMatch(a -> a.startsWith("--backup")), split.get(3).argv().toString());
        assertTrue(split.get(3).argv().contains("--delete-missing-args"));
        assertEquals(jobs, batch.withoutCopies(jobs, Set.of()), "nothing accounted for: as planned");
        assertEquals(jobs, batch.withoutCopies(jobs, Set.of("elsewhere")));
    }

    @Test void largeListsAreSpreadOverTheProcesses() {
        Entry[] many = new Entry[12_000];
        for (int i = 0; i < many.length; i++) many[i] = new Entry(String.format("f%05d", i), State.CHANGED, false);
        List<JobPlanner.Job> jobs = planner.plan(work(List.of(), many), true, -1, true);
        assertEquals(4, jobs.size());
        assertEquals(12_000, jobs.stream().mapToInt(j -> j.listed().size()).sum());
        assertTrue(jobs.stream().allMatch(j -> j.listed().size() <= JobPlanner.MAX_PATHS_PER_RSYNC));
    }
}
