package io.replagent.history;

import io.replagent.state.Retention;
import io.replagent.state.Target;
import io.replagent.testing.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real local target pushed to by real rsync with history. */
@Tag("e2e")
class LocalHistoryStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir Path dir;
    private Path source;
    private Path backup;
    private Target target;
    private HistoryPushes pushes;

    @BeforeEach void setUp() throws IOException {
        source = Files.createDirectories(dir.resolve("source"));
        backup = Files.createDirectories(dir.resolve("backup"));
        target = new Target("local", new Target.Local(backup), Optional.empty(), Optional.empty(), Optional.of(Retention.FOREVER));
        pushes = new HistoryPushes(source, target, dir.resolve("state"));
    }

    private LocalHistoryStore store() throws IOException {
        return (LocalHistoryStore) HistoryStore.of(target, Map.of());
    }

    @Test void theWalkSeesWhatRsyncListsAndLeavesTheReservedDirectoryOut() throws Exception {
        Files.createDirectories(source.resolve("a/b"));
        Files.writeString(source.resolve("a/b/f"), "12345");
        Files.createSymbolicLink(source.resolve("link"), Path.of("a/b/f"));
        Files.writeString(source.resolve("name with\nnewline"), "x");
        pushes.push(T0);
        Files.writeString(source.resolve("a/b/f"), "changed");
        pushes.push(T0.plusSeconds(1));
        LocalHistoryStore store = store();
        TargetRsync rsync = new TargetRsync(target, Map.of());
        Map<String, Listing.Node> listed = rsync.list("", Layout.EXCLUDE);
        assertEquals(listed.keySet(), store.mirror().keySet());
        for (String p : listed.keySet()) {
            if (listed.get(p).type() != Listing.Type.DIR) assertEquals(listed.get(p), store.mirror().get(p), p);
        }
        assertEquals(Listing.history(rsync.list(Layout.HISTORY + "/")).batches().keySet(), store.history().batches().keySet());
        assertEquals(new Listing.Node(Listing.Type.FILE, 5), store.history().batches().firstEntry().getValue().get("a/b/f"));
        assertFalse(store.mirror().keySet().stream().anyMatch(p -> p.startsWith(".agent")));
    }

    @Test void renamedThenHalfDeletedThenRecreatedEachStepRestoresExactly() throws Exception {
        for (int i = 0; i < 6; i++) Files.writeString(Files.createDirectories(source.resolve("tree/sub")).resolve("f" + i), "v" + i);
        List<Path> snapshots = new java.util.ArrayList<>();
        Runnable[] steps = {
                () -> {},
                () -> move("tree", "renamed"),
                () -> { for (int i = 0; i < 3; i++) delete("renamed/sub/f" + i); },
                () -> write("tree/sub/f1", "recreated at an old path"),
        };
        for (int s = 0; s < steps.length; s++) {
            steps[s].run();
            pushes.push(T0.plusSeconds(60L * s));
            Path snap = dir.resolve("snap" + s);
            Trees.copy(source, snap);
            snapshots.add(snap);
        }
        LocalHistoryStore store = store();
        List<Journal.Entry> journal = Journal.read(store.journal()).entries();
        for (int s = 0; s < steps.length; s++) {
            RestorePlanner.Plan plan = RestorePlanner.plan(store.mirror(), store.history(), journal, T0.plusSeconds(60L * s + 30), List.of());
            Path to = dir.resolve("restored" + s);
            store.fetch(plan, to, (f, b) -> {});
            Trees.assertEqual(snapshots.get(s), to);
            assertTrue(plan.unavailable().isEmpty());
        }
    }

    @Test void aShortKeepPrunesExactlyTheOlderBatchesAndNeverTheMirror() throws Exception {
        Files.writeString(source.resolve("f"), "");
        pushes.push(T0);
        for (int i = 1; i <= 4; i++) {
            Files.writeString(source.resolve("f"), "v".repeat(i)); // sizes differ: the quick check sees each change
            pushes.push(T0.plusSeconds(3600L * i)); // batches at +1h .. +4h keep the copies "", v, vv, vvv
        }
        LocalHistoryStore store = store();
        Map<String, Listing.Node> mirrorBefore = store.mirror();
        Map<String, String> segments = new TreeMap<>();
        store.journal().forEach((name, content) -> segments.put(name, Journal.newestBatch(content)));
        Instant now = T0.plusSeconds(3600L * 4); // keep 2h: the batches at +1h goes, +2h is exactly 2 h old and stays
        Pruner.Plan plan = Pruner.plan(store.history(), segments, new Retention(Duration.ofHours(2), 0, 0), now);
        assertEquals(List.of(pushes.batches.get(1)), plan.batches());
        store.prune(plan);
        assertEquals(List.of(pushes.batches.get(2), pushes.batches.get(3), pushes.batches.get(4)),
                List.copyOf(store.history().batches().keySet()));
        assertEquals(mirrorBefore, store.mirror());
        assertEquals("vvvv", Files.readString(backup.resolve("f")));
        // pruning again changes nothing
        assertTrue(Pruner.plan(store.history(), segments, new Retention(Duration.ofHours(2), 0, 0), now).batches().isEmpty());
        // max_versions 1 then leaves one copy; the journal segment (the newest) stays
        Pruner.Plan thin = Pruner.plan(store.history(), segments, new Retention(Duration.ZERO, 1, 0), now);
        store.prune(thin);
        assertEquals(1, store.history().versions());
        assertEquals(segments.keySet(), store.journal().keySet());
        assertEquals(mirrorBefore, store.mirror());
    }

    @Test void pruningNeverFollowsALinkOutOfTheHistory() throws Exception {
        Path outside = Files.writeString(dir.resolve("precious"), "do not touch");
        Path batch = Files.createDirectories(backup.resolve(Layout.HISTORY).resolve(Layout.batch(T0)));
        Files.createSymbolicLink(batch.resolve("link"), outside);
        Files.createSymbolicLink(batch.resolve("dirlink"), dir);
        LocalHistoryStore store = store();
        store.prune(Pruner.plan(store.history(), Map.of(), new Retention(Duration.ofHours(1), 0, 0), T0.plusSeconds(7200)));
        assertFalse(Files.exists(batch));
        assertEquals("do not touch", Files.readString(outside));
    }

    private void write(String p, String content) {
        try {
            Files.createDirectories(source.resolve(p).getParent());
            Files.writeString(source.resolve(p), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void delete(String p) {
        try {
            Files.delete(source.resolve(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void move(String from, String to) {
        try {
            Files.move(source.resolve(from), source.resolve(to));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
