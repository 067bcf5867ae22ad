package io.replagent.history;

import io.replagent.history.Journal.Entry;
import io.replagent.history.Journal.Kind;
import io.replagent.testing.RsyncDaemon;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalSpoolTest {

    private static final Instant T = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir Path dir;

    private static List<Entry> batch(Instant at, String... paths) {
        List<Entry> out = new ArrayList<>();
        for (String p : paths) out.add(new Entry(Layout.batch(at), Kind.CREATED, p, false));
        return out;
    }

    @Test void appendsAreKeptPrivateAndReadBackInOrder() throws Exception {
        JournalSpool spool = new JournalSpool(dir.resolve("journal"));
        spool.append(batch(T, "a", "b"));
        spool.append(List.of());
        spool.append(batch(T.plusSeconds(1), "c"));
        Map<String, byte[]> segments = spool.segments();
        assertEquals(List.of(Layout.batch(T) + ".log"), List.copyOf(segments.keySet()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("journal").resolve(Layout.batch(T) + ".log"))));
        List<Entry> all = new ArrayList<>(batch(T, "a", "b"));
        all.addAll(batch(T.plusSeconds(1), "c"));
        assertEquals(all, Journal.read(segments).entries());
        assertTrue(spool.pending() > 0);
    }

    /** The fsync off the hot path: every segment written since the last one, a segment uploaded and deleted meanwhile skipped. */
    @Test void syncCoversEverySegmentWrittenAndSkipsOneUploadedMeanwhile() throws Exception {
        JournalSpool spool = new JournalSpool(dir.resolve("journal"));
        spool.sync(); // nothing written yet
        spool.append(batch(T, "a"));
        Instant nextDay = Instant.parse("2026-12-02T00:00:00.001Z");
        spool.append(batch(nextDay, "b"));
        Files.delete(dir.resolve("journal").resolve(Layout.batch(T) + ".log"));
        spool.sync();
        assertEquals(List.of(Layout.batch(nextDay) + ".log"), List.copyOf(spool.segments().keySet()));
        assertEquals(batch(nextDay, "b"), Journal.read(spool.segments()).entries());
    }

    @Test void aNewDayOrAFullSegmentStartsAnother() throws Exception {
        JournalSpool spool = new JournalSpool(dir);
        spool.append(batch(T, "a"));
        Instant nextDay = Instant.parse("2026-12-02T00:00:00.001Z");
        spool.append(batch(nextDay, "b"));
        assertEquals(List.of(Layout.batch(T) + ".log", Layout.batch(nextDay) + ".log"), List.copyOf(spool.segments().keySet()));
        String big = "x".repeat(1 << 16);
        Instant t = nextDay;
        for (int i = 0; i < 70; i++) spool.append(batch(t = t.plusSeconds(1), big)); // 70 × 64 KiB > 4 MiB
        assertEquals(3, spool.segments().size());
    }

    @Test void uploadsWhenIdleOrAtLeastEveryMinute() {
        Instant now = T.plusSeconds(1000);
        Object[][] cases = { // pending, last batch end, pending since, busy → due
                {0L, now.minusSeconds(30), null, false, false},
                {0L, now.minusSeconds(30), now.minusSeconds(90), true, false},   // nothing to upload
                {10L, null, now.minusSeconds(1), false, true},                  // left by an earlier run, idle
                {10L, null, now.minusSeconds(1), true, false},                  // ... during the initial sync
                {10L, now.minusSeconds(3), now.minusSeconds(10), false, true},  // idle 3 s
                {10L, now.minusSeconds(1), now.minusSeconds(10), false, false}, // just finished a batch
                {10L, now.minusSeconds(30), now.minusSeconds(1), true, false},  // busy: the first batch's lines wait
                {10L, now.minusSeconds(30), now.minusSeconds(59), true, false}, // busy, waiting less than a minute
                {10L, now.minusSeconds(30), now.minusSeconds(60), true, true},  // busy for a minute
        };
        for (Object[] c : cases) {
            assertEquals(c[4], JournalSpool.uploadDue((Long) c[0], now, (Instant) c[1], (Instant) c[2], (Boolean) c[3]),
                    java.util.Arrays.toString(c));
        }
    }

    @Tag("e2e")
    @Test void uploadReachesTheTargetAndKeepsOnlyTheNewestSegmentHere() throws Exception {
        try (RsyncDaemon daemon = RsyncDaemon.start(Files.createDirectories(dir.resolve("daemon")))) {
            JournalSpool spool = new JournalSpool(dir.resolve("journal"));
            TargetRsync rsync = new TargetRsync(daemon.target("t"), Map.of());
            spool.append(batch(T, "a"));
            spool.append(batch(Instant.parse("2026-12-02T08:00:00Z"), "b"));
            spool.upload(rsync);
            assertEquals(0, spool.pending());
            assertEquals(1, spool.segments().size());
            Path remote = daemon.module().resolve(".agent/journal");
            assertEquals(2, Files.list(remote).count());
            spool.append(batch(Instant.parse("2026-12-02T09:00:00Z"), "c"));
            assertTrue(spool.pending() > 0);
            HistoryStore store = HistoryStore.of(daemon.target("t"), Map.of());
            // before the upload the target lacks the tail: a restore reads both, longest copy of each segment
            assertEquals(2, Journal.read(store.journal()).entries().size());
            assertEquals(3, Journal.read(store.journal(), spool.segments()).entries().size());
            spool.upload(rsync);
            assertEquals(3, Journal.read(store.journal()).entries().size());
        }
    }
}
