package io.replagent.replicate;

import io.replagent.testing.Watches;
import io.replagent.tree.Change;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue file kept by hand, with a fake clock: no threads, no rsync. */
class QueueKeeperTest {

    @TempDir Path dir;
    private final Object lock = new Object();
    private final List<String> errors = new ArrayList<>();
    private long now;

    private TargetState state() {
        return new TargetState(Watches.watch(Path.of("/src")), 0);
    }

    private QueueKeeper keeper(TargetState state, Path file) {
        return new QueueKeeper(new QueueFile(file), state, lock, () -> now, errors::add);
    }

    @Test void savesWhileTheTargetWaitsAndOnlyThen() throws IOException {
        TargetState s = state();
        Path file = dir.resolve("queue/w--t");
        QueueKeeper k = keeper(s, file);
        s.pending.mark("a", Change.MODIFIED, false, false, now);
        s.queueChanged = true;
        k.saveIfWaiting();
        assertFalse(Files.exists(file), "a delivering target's queue is about to be sent: nothing to save");
        s.pauses.pause(PauseState.Reason.OPERATOR, "paused by the operator");
        k.saveIfWaiting();
        assertTrue(Files.exists(file), "paused: saved");
        assertEquals(List.of("a"), new QueueFile(file).load().entries().stream().map(DirtyTree.Entry::path).toList());
        assertEquals(List.of(), errors);
    }

    @Test void afterABatchSavesWhatWasNotDeliveredAndClearsTheFileOnceAllWas() throws IOException {
        TargetState s = state();
        Path file = dir.resolve("q");
        QueueKeeper k = keeper(s, file);
        k.afterBatch(RsyncExit.OK);
        assertFalse(Files.exists(file), "nothing undelivered, nothing on disk: no write");
        s.pending.mark("b", Change.CREATED, false, false, now);
        k.afterBatch(RsyncExit.TRANSIENT);
        assertEquals(1, new QueueFile(file).load().entries().size());
        s.pending.take();
        k.afterBatch(RsyncExit.OK);
        assertTrue(new QueueFile(file).load().isEmpty(), "the file a failed batch left is cleared");
    }

    @Test void restorePutsTheSavedQueueBackAndCountsItsDeletes() throws IOException {
        Path file = dir.resolve("q");
        TargetState before = state();
        before.pending.mark("gone", Change.DELETED, false, false, 0);
        before.pending.mark("new", Change.CREATED, false, false, 0);
        new QueueFile(file).saveOrWhy(before.queueSnapshot());
        TargetState after = state();
        now = 5;
        DirtyTree.Batch restored = keeper(after, file).restore(new QueueFile(file));
        assertEquals(2, restored.entries().size());
        assertEquals(1, after.pending.take().deletes(), "restored deletes count toward max_delete");
        assertTrue(after.queueChanged);
    }

    @Test void aTargetWithoutAQueueFileSavesNothing() {
        TargetState s = state();
        QueueKeeper k = new QueueKeeper(null, s, lock, () -> now, errors::add);
        s.pending.mark("a", Change.MODIFIED, false, false, now);
        k.save();
        k.afterBatch(RsyncExit.TRANSIENT);
        assertEquals(List.of(), errors);
    }
}
