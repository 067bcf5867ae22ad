package io.replagent.replicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueFileTest {

    @TempDir Path tmp;

    @Test void roundTripOfAwkwardPathsPrivateAndAtomic() throws Exception {
        QueueFile q = new QueueFile(tmp.resolve("state/queue/w--t"));
        String raw = new String(new byte[] {'n', (byte) 0xff, '\n', '-'}, StandardCharsets.ISO_8859_1);
        DirtyTree.Batch batch = new DirtyTree.Batch(false, List.of(new DirtyTree.Entry("a b", DirtyTree.State.CREATED, true),
                new DirtyTree.Entry(raw, DirtyTree.State.CHANGED, false),
                new DirtyTree.Entry("gone", DirtyTree.State.DELETED, false)), 0);
        q.save(batch);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(q.path())));
        assertEquals(batch.entries(), q.load().entries());
        try (var s = Files.list(q.path().getParent())) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }

    @Test void restoredDeletesAreCountedForTheGuardButNotTheOldNamesOfRenames() throws Exception {
        QueueFile q = new QueueFile(tmp.resolve("q"));
        DirtyTree.Entry renamedAway = new DirtyTree.Entry("old", DirtyTree.State.DELETED, false, true);
        q.save(new DirtyTree.Batch(false, List.of(new DirtyTree.Entry("a", DirtyTree.State.DELETED, false),
                new DirtyTree.Entry("b", DirtyTree.State.DELETED, false), new DirtyTree.Entry("c", DirtyTree.State.CHANGED, false),
                renamedAway), 2));
        DirtyTree.Batch restored = q.load();
        assertEquals(2, restored.deletes());
        assertEquals(renamedAway, restored.entries().get(3));
        assertTrue(Files.readString(q.path(), StandardCharsets.ISO_8859_1).contains("M-old\0"));
    }

    @Test void aFullSyncRecordEndsTheQueueSoASaveCanFallBackToItInPlace() throws Exception {
        Path file = tmp.resolve("q");
        // what a save on a full disk leaves: the full-sync record written over the start of a longer queue
        Files.write(file, "agent-queue 1\nF\0C-some/older/path\0".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(new QueueFile(file).load().full());
    }

    @Test void fullSyncAndEmpty() throws Exception {
        QueueFile q = new QueueFile(tmp.resolve("q"));
        assertTrue(q.load().isEmpty());
        q.save(new DirtyTree.Batch(true, List.of(), 0));
        assertTrue(q.load().full());
        q.save(new DirtyTree.Batch(false, List.of(), 0));
        assertFalse(Files.exists(q.path()), "an empty queue removes the file");
    }

    @Test void foreignFileIsAnError() throws Exception {
        Files.writeString(tmp.resolve("q"), "something else");
        assertThrows(java.io.IOException.class, () -> new QueueFile(tmp.resolve("q")).load());
    }
}
