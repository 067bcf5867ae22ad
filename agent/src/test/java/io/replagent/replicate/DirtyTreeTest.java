package io.replagent.replicate;

import io.replagent.replicate.DirtyTree.Entry;
import io.replagent.replicate.DirtyTree.State;
import io.replagent.tree.Change;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.replagent.tree.Change.CREATED;
import static io.replagent.tree.Change.DELETED;
import static io.replagent.tree.Change.MODIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirtyTreeTest {

    /** before, change, after (null: clean). */
    private static final Object[][] MERGE = {
            {null, CREATED, State.CREATED},
            {null, MODIFIED, State.CHANGED},
            {null, DELETED, State.DELETED},
            {State.CREATED, CREATED, State.CREATED},
            {State.CREATED, MODIFIED, State.CREATED},   // create + modify + close_write: one transfer
            {State.CREATED, DELETED, null},             // create + delete: nothing
            {State.CHANGED, CREATED, State.CHANGED},
            {State.CHANGED, MODIFIED, State.CHANGED},
            {State.CHANGED, DELETED, State.DELETED},
            {State.DELETED, CREATED, State.CHANGED},    // delete + create: a transfer
            {State.DELETED, MODIFIED, State.CHANGED},
            {State.DELETED, DELETED, State.DELETED},
    };

    @Test void mergeTable() {
        for (Object[] row : MERGE) {
            assertEquals(row[2], DirtyTree.merge((State) row[0], (Change) row[1]), row[0] + " + " + row[1]);
        }
    }

    /** Event sequences on one tree and the batch they leave. */
    @Test void sequences() {
        record Mark(String path, Change change, boolean dir) {}
        record Case(String name, List<Mark> marks, List<Entry> expected) {}
        List<Case> cases = List.of(
                new Case("create, write, close", List.of(new Mark("a", CREATED, false), new Mark("a", MODIFIED, false),
                        new Mark("a", MODIFIED, false)), List.of(new Entry("a", State.CREATED, false))),
                new Case("temp file created and removed", List.of(new Mark("t", CREATED, false), new Mark("t", DELETED, false)),
                        List.of()),
                new Case("replaced", List.of(new Mark("a", DELETED, false), new Mark("a", CREATED, false)),
                        List.of(new Entry("a", State.CHANGED, false))),
                new Case("new directory covers what is below it", List.of(new Mark("d/x", MODIFIED, false),
                        new Mark("d", CREATED, true), new Mark("d/y", CREATED, false), new Mark("d/e/z", CREATED, false)),
                        List.of(new Entry("d", State.CREATED, true))),
                new Case("deleted directory drops its children", List.of(new Mark("d/x", MODIFIED, false),
                        new Mark("d", DELETED, true)), List.of(new Entry("d", State.DELETED, false))),
                new Case("directory deleted and created again", List.of(new Mark("d", DELETED, true),
                        new Mark("d", CREATED, true), new Mark("d/x", CREATED, false)),
                        List.of(new Entry("d", State.CHANGED, true))),
                new Case("attribute change of a directory is not recursive", List.of(new Mark("d", MODIFIED, true),
                        new Mark("d/x", MODIFIED, false)),
                        List.of(new Entry("d", State.CHANGED, false), new Entry("d/x", State.CHANGED, false))));
        for (Case c : cases) {
            DirtyTree tree = new DirtyTree(100, 1000);
            for (Mark m : c.marks()) tree.mark(m.path(), m.change(), m.dir(), false, 0);
            DirtyTree.Batch batch = tree.take();
            assertFalse(batch.full(), c.name());
            assertEquals(c.expected(), batch.entries(), c.name());
            assertTrue(tree.isEmpty(), c.name());
        }
    }

    @Test void createdWhileAnRsyncRunsIsNotCancelledByADelete() {
        DirtyTree tree = new DirtyTree(100, 1000);
        tree.mark("a", CREATED, false, true, 0); // the running rsync may have sent it
        tree.mark("a", DELETED, false, false, 0);
        assertEquals(List.of(new Entry("a", State.DELETED, false)), tree.take().entries());
    }

    /**
     * A directory created while a push runs is marked changed (the push may have sent part of it: a delete must not
     * cancel it) yet stays fresh: sent by name as a new one (one rsync, no --checksum of its files), while a directory
     * deleted and made again, or one a failed push requeued, is compared by content.
     */
    @Test void aDirectoryCreatedWhileAPushRunsIsChangedButFresh() {
        Object[][] cases = {
                {"created while sending", new boolean[]{true}, new Change[]{CREATED}, new Entry("d", State.CHANGED, true, false, true)},
                {"created while sending, then written to", new boolean[]{true, false}, new Change[]{CREATED, MODIFIED},
                        new Entry("d", State.CHANGED, true, false, true)},
                {"created while idle: new by its state", new boolean[]{false}, new Change[]{CREATED}, new Entry("d", State.CREATED, true)},
                {"deleted, then made again", new boolean[]{false, false}, new Change[]{DELETED, CREATED},
                        new Entry("d", State.CHANGED, true, false, false)},
                {"created while sending, then deleted", new boolean[]{true, false}, new Change[]{CREATED, DELETED},
                        new Entry("d", State.DELETED, true, false, false)},
        };
        for (Object[] c : cases) {
            DirtyTree tree = new DirtyTree(100, 1000);
            boolean[] sending = (boolean[]) c[1];
            Change[] changes = (Change[]) c[2];
            for (int i = 0; i < changes.length; i++) tree.mark("d", changes[i], true, sending[i], 0);
            assertEquals(List.of(c[3]), tree.take().entries(), (String) c[0]);
        }
        DirtyTree requeued = new DirtyTree(100, 1000);
        requeued.requeue(new DirtyTree.Batch(false, List.of(new Entry("d", State.CHANGED, true, false, true)), 0), 0);
        assertEquals(List.of(new Entry("d", State.CHANGED, true, false, false)), requeued.take().entries(),
                "requeued: no longer known to be new on the target, compared by content");
    }

    @Test void manyChildrenCollapseIntoTheirDirectory() {
        DirtyTree tree = new DirtyTree(3, 1000);
        for (int i = 0; i < 4; i++) tree.mark("a/b/f" + i, MODIFIED, false, false, 0);
        tree.mark("a/c", MODIFIED, false, false, 0);
        assertEquals(List.of(new Entry("a/b", State.CHANGED, true), new Entry("a/c", State.CHANGED, false)), tree.take().entries());
    }

    @Test void tooManyEntriesBecomeAFullSync() {
        DirtyTree tree = new DirtyTree(1000, 10);
        for (int i = 0; i < 11; i++) tree.mark("d" + i + "/f", MODIFIED, false, false, 0);
        assertTrue(tree.isFull());
        tree.mark("later", MODIFIED, false, false, 0);
        DirtyTree.Batch batch = tree.take();
        assertTrue(batch.full());
        assertEquals(List.of(), batch.entries());
    }

    @Test void changesCountEveryMarkAndTheFirstMarkSetsTheAge() {
        DirtyTree tree = new DirtyTree(100, 1000);
        tree.mark("a", CREATED, false, false, 500);
        tree.mark("a", MODIFIED, false, false, 700);
        tree.mark("b", MODIFIED, false, false, 900);
        assertEquals(3, tree.changes());
        assertEquals(500, tree.firstNanos());
        tree.take();
        assertEquals(0, tree.changes());
        tree.mark("c", MODIFIED, false, false, 1000);
        assertEquals(1000, tree.firstNanos());
        tree.take();
        tree.mark("t", CREATED, false, false, 2000);
        tree.mark("t", DELETED, false, false, 2100); // cancelled out: nothing pending
        tree.mark("u", MODIFIED, false, false, 5000);
        assertEquals(5000, tree.firstNanos(), "the delay counts from the first change still pending");
        assertEquals(1, tree.changes());
    }

    @Test void deletesAreCountedForTheGuard() {
        DirtyTree tree = new DirtyTree(100, 1000);
        tree.mark("a", DELETED, false, false, 0);
        tree.mark("b", DELETED, false, false, 0);
        tree.mark("b", DELETED, false, false, 0);
        tree.mark("n", CREATED, false, false, 0);
        tree.mark("n", DELETED, false, false, 0);
        assertEquals(2, tree.take().deletes());
    }

    @Test void theOldNameOfARenameIsDeletedButNotCountedUnlessItsDataGoesToo() {
        DirtyTree tree = new DirtyTree(100, 1000);
        tree.renamedAway("a", false, false, 0);
        tree.mark("b", MODIFIED, false, false, 0);      // a -> b
        tree.renamedAway("b", false, false, 0);
        tree.mark("c", MODIFIED, false, false, 0);      // b -> c
        tree.renamedAway("d", true, false, 0);          // a directory d -> e
        tree.renamedAway("n", false, false, 0);
        tree.mark("n", CREATED, false, false, 0);       // renamed away, then a new file of that name
        DirtyTree.Batch batch = tree.take();
        assertEquals(List.of(new Entry("a", State.DELETED, false, true), new Entry("b", State.DELETED, false, true),
                new Entry("c", State.CHANGED, false), new Entry("d", State.DELETED, false, true),
                new Entry("n", State.CHANGED, false)), batch.entries());
        assertEquals(0, batch.deletes());
        assertEquals(0, DirtyTree.deletes(batch.entries()));
        tree.renamedAway("x", false, false, 0);
        tree.mark("y", MODIFIED, false, false, 0);      // x -> y, then y removed: x's data is gone
        tree.mark("y", DELETED, false, false, 0);
        assertEquals(1, tree.take().deletes());
    }

    @Test void whatHoldsAPathDirty() {
        DirtyTree tree = new DirtyTree(4, 1000);
        tree.mark("new", CREATED, true, false, 0);
        tree.mark("f", MODIFIED, false, false, 0);
        for (int i = 0; i < 5; i++) tree.mark("busy/f" + i, MODIFIED, false, false, 0);
        tree.mark("gone", DELETED, true, false, 0);
        assertEquals(new Entry("new", State.CREATED, true), tree.pendingFor("new/below"));
        assertEquals(new Entry("f", State.CHANGED, false), tree.pendingFor("f"));
        assertEquals(new Entry("busy", State.CHANGED, true), tree.pendingFor("busy/f9"), "collapsed: it may have changed");
        assertEquals(null, tree.pendingFor("gone/below"), "a deleted directory covers nothing");
        assertEquals(null, tree.pendingFor("clean"));
    }

    @Test void requeueKeepsNewerMarksAndRestoresRecursion() {
        DirtyTree tree = new DirtyTree(100, 1000);
        DirtyTree.Batch failed = new DirtyTree.Batch(false, List.of(new Entry("a", State.CREATED, true),
                new Entry("b", State.CHANGED, false), new Entry("a/x", State.CHANGED, false)), 0);
        tree.mark("b", DELETED, false, false, 0);
        tree.requeue(failed, 0);
        assertEquals(List.of(new Entry("a", State.CHANGED, true), new Entry("b", State.DELETED, false)), tree.take().entries(),
                "a requeued path may be on the target in part: no longer 'created'");
        tree.requeue(new DirtyTree.Batch(true, List.of(), 0), 0);
        assertTrue(tree.take().full());
    }
}
