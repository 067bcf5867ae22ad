package io.replagent.replicate;

import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.testing.Watches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queue files on upgrade: nothing runs, only the files are read (no rsync, no watcher). */
class PipelinesTest {

    @TempDir Path tmp;

    private static Watch watch(String name, Path source, String... targets) {
        Target[] t = new Target[targets.length];
        for (int i = 0; i < t.length; i++) t[i] = new Target(targets[i], new Target.Local(source.resolveSibling("copy-" + targets[i])),
                Optional.empty(), Optional.empty());
        Watch w = Watches.watch(source, t);
        return new Watch(name, w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(), w.delete(),
                w.exclude(), w.init(), w.rsync(), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
    }

    private static void legacy(Path file, String... deletedPaths) throws Exception {
        DirtyTree.Entry[] entries = new DirtyTree.Entry[deletedPaths.length];
        for (int i = 0; i < entries.length; i++) entries[i] = new DirtyTree.Entry(deletedPaths[i], DirtyTree.State.DELETED, false);
        new QueueFile(file).save(new DirtyTree.Batch(false, List.of(entries), entries.length));
    }

    @Test void anOldQueueFileIsReadOnceUnderItsNewNameAndOneThatTwoPairsSharedBecomesAFullSync() throws Exception {
        Path queue = tmp.resolve("state/queue");
        legacy(queue.resolve("solo--t"), "x", "y");
        legacy(queue.resolve("a--b--c"), "whose");   // watch a--b target c, and watch a target b--c, both named it
        State state = Watches.state(tmp, watch("solo", Files.createDirectories(tmp.resolve("s1")), "t"),
                watch("a--b", Files.createDirectories(tmp.resolve("s2")), "c"),
                watch("a", Files.createDirectories(tmp.resolve("s3")), "b--c"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Replication r = Replication.create(state, Map.of("PATH", System.getenv("PATH")), new PrintStream(log, true));
        ReplicationStatus status = r.status();
        assertEquals(2, status.watches().get(0).targets().get(0).queueDepth(), "the two queued deletes restored");
        assertEquals(2, new QueueFile(queue.resolve("solo@t")).load().deletes(), "saved under the new name, deletes counted");
        assertFalse(Files.exists(queue.resolve("solo--t")), "the old file is read once");
        for (int w = 1; w <= 2; w++) {
            assertEquals(1, status.watches().get(w).targets().get(0).queueDepth(), "a full sync counts as one");
        }
        assertFalse(Files.exists(queue.resolve("a--b--c")));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("was shared with another watch/target: a full sync instead"));
        r.stop();
    }
}
