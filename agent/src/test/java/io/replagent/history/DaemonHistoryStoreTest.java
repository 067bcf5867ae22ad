package io.replagent.history;

import io.replagent.state.Target;
import io.replagent.testing.RsyncDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real rsync daemon on 127.0.0.1 (use chroot = no, the case that strips ../ from a backup dir). */
@Tag("e2e")
class DaemonHistoryStoreTest {

    @TempDir Path dir;
    private RsyncDaemon daemon;
    private Path source;
    private Target target;
    private HistoryPushes pushes;

    @BeforeEach void start() throws IOException {
        daemon = RsyncDaemon.start(Files.createDirectories(dir.resolve("daemon")));
        source = Files.createDirectories(dir.resolve("source"));
        target = daemon.target("backup");
        pushes = new HistoryPushes(source, target, dir.resolve("state"));
    }

    @AfterEach void stop() {
        daemon.close();
    }

    private HistoryStore store() throws IOException {
        return HistoryStore.of(target, Map.of());
    }

    @Test void aDeletedFileIsListedAsDeletedAndComesBackByteIdenticalWithModeAndMtime() throws Exception {
        Path doc = Files.write(source.resolve("report.txt"), "quarterly figures\n".getBytes());
        Files.setPosixFilePermissions(doc, PosixFilePermissions.fromString("rw-r-----"));
        FileTime mtime = FileTime.from(Instant.parse("2026-06-01T12:34:56.789Z"));
        Files.setLastModifiedTime(doc, mtime);
        Files.writeString(Files.createDirectories(source.resolve("keep")).resolve("other"), "other");
        Instant t0 = Instant.parse("2026-12-01T08:00:00Z");
        pushes.push(t0);
        Files.delete(doc);
        String deleting = pushes.push(t0.plusSeconds(60));

        HistoryStore store = store();
        Listing.History h = store.history();
        assertEquals(List.of(deleting), List.copyOf(h.batches().keySet()));
        List<Journal.Entry> journal = Journal.read(store.journal()).entries();
        assertEquals(List.of(new Versions.Version("report.txt", t0.plusSeconds(60), deleting, 18, Journal.Kind.DELETED)),
                Versions.of("report.txt", h, journal));
        assertFalse(store.mirror().containsKey("report.txt"));
        assertFalse(store.mirror().containsKey(".agent"), "the reserved directory is not part of the mirror");

        RestorePlanner.Plan plan = RestorePlanner.plan(store.mirror(), h, journal, t0.plusSeconds(30), List.of());
        Path to = dir.resolve("restored");
        long[] progress = new long[2];
        store.fetch(plan, to, (files, bytes) -> { progress[0] = files; progress[1] = bytes; });
        Path back = to.resolve("report.txt");
        assertEquals("quarterly figures\n", Files.readString(back));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(back)));
        assertEquals(mtime.toMillis() / 1000, Files.getLastModifiedTime(back).toMillis() / 1000);
        assertEquals("other", Files.readString(to.resolve("keep/other")));
        assertArrayEquals(new long[]{2, 23}, progress);
        // as of now: the file is gone
        assertFalse(RestorePlanner.plan(store.mirror(), h, journal, null, List.of()).items().stream()
                .anyMatch(i -> i.path().equals("report.txt")));
    }

    @Test void ransomwareRewritingInPlaceWithMtimePutBackIsUndone() throws Exception {
        Random random = new Random(7);
        Map<String, byte[]> originals = new java.util.TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            byte[] content = new byte[100 + random.nextInt(2000)];
            random.nextBytes(content);
            String name = "d" + i % 10 + "/f" + i;
            Files.createDirectories(source.resolve(name).getParent());
            Files.write(source.resolve(name), content);
            originals.put(name, content);
        }
        Instant t0 = Instant.parse("2026-12-01T08:00:00Z");
        pushes.push(t0);
        Map<String, byte[]> encrypted = new java.util.TreeMap<>();
        for (String name : originals.keySet()) {
            Path p = source.resolve(name);
            FileTime before = Files.getLastModifiedTime(p);
            byte[] junk = new byte[originals.get(name).length];
            random.nextBytes(junk);
            Files.write(p, junk);
            Files.setLastModifiedTime(p, before); // what cp -p, tar -x or a careful attacker do
            encrypted.put(name, junk);
        }
        pushes.push(t0.plusSeconds(60), "--checksum"); // the agent's pushes of event-named paths ignore the quick check

        HistoryStore store = store();
        RestorePlanner.Plan plan = RestorePlanner.plan(store.mirror(), store.history(), Journal.read(store.journal()).entries(),
                t0.plusSeconds(59), List.of());
        assertEquals(1000, plan.files());
        Path to = dir.resolve("restored");
        store.fetch(plan, to, (f, b) -> {});
        for (Map.Entry<String, byte[]> e : originals.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(to.resolve(e.getKey())), e.getKey());
            assertArrayEquals(encrypted.get(e.getKey()), Files.readAllBytes(source.resolve(e.getKey())), "live source untouched");
        }
    }

    @Test void aHistoryDeletedByHandIsEmptyThenGrowsAgain() throws Exception {
        Files.writeString(source.resolve("a"), "1");
        Instant t0 = Instant.parse("2026-12-01T08:00:00Z");
        pushes.push(t0);
        Files.writeString(source.resolve("a"), "22");
        pushes.push(t0.plusSeconds(1));
        Path history = daemon.module().resolve(".agent/history");
        assertTrue(Files.isDirectory(history));
        try (var all = Files.walk(daemon.module().resolve(".agent"))) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        assertEquals(Map.of(), store().history().batches());
        assertEquals(Map.of(), store().journal());
        Files.writeString(source.resolve("a"), "333");
        String b = pushes.push(t0.plusSeconds(2));
        assertEquals(List.of(b), List.copyOf(store().history().batches().keySet()));
        assertEquals("22", Files.readString(history.resolve(b).resolve("a")));
    }
}
