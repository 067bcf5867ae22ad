package io.replagent.replicate;

import io.replagent.system.Log;
import io.replagent.testing.Statuses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HousekeepingTest {

    @TempDir
    Path dir;
    private Path file;

    private final AtomicReference<ReplicationStatus> status = new AtomicReference<>();

    private Housekeeping housekeeping() {
        file = dir.resolve("status.json");
        return new Housekeeping(file, status::get, List.of(), List.of(),
                new Log(new PrintStream(new ByteArrayOutputStream(), true), null, null));
    }

    private static ReplicationStatus at(String time, long events) {
        return new ReplicationStatus(Instant.parse(time), List.of(Statuses.watch("data", 3, events, 0, null,
                Statuses.idle("backup", Instant.parse("2026-12-01T11:00:00Z")))));
    }

    /** Writes the status of {@code events} events at {@code time}; the status file's inode afterwards. */
    private Object write(Housekeeping h, String time, long events) throws Exception {
        status.set(at(time, events));
        h.writeStatus();
        return inode(file);
    }

    private static Object inode(Path file) throws Exception {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    @Test
    void theSameFiguresAtALaterTimeAreNotWrittenAgain() throws Exception {
        Housekeeping h = housekeeping();
        Object first = write(h, "2026-12-01T12:00:00Z", 40);
        assertEquals(first, write(h, "2026-12-01T12:00:02Z", 40), "rewritten (a new inode) though only the time changed");
        assertTrue(Files.readString(file).contains("\"at\":\"2026-12-01T12:00:00Z\""), Files.readString(file));
    }

    @Test
    void changedFiguresAreWrittenWithTheirTime() throws Exception {
        Housekeeping h = housekeeping();
        Object first = write(h, "2026-12-01T12:00:00Z", 40);
        assertNotEquals(first, write(h, "2026-12-01T12:00:02Z", 41));
        String json = Files.readString(file);
        assertTrue(json.contains("\"at\":\"2026-12-01T12:00:02Z\"") && json.contains("\"events\":41"), json);
    }

    @Test
    void aStatusFileDeletedByHandIsWrittenAgain() throws Exception {
        Housekeeping h = housekeeping();
        write(h, "2026-12-01T12:00:00Z", 40);
        Files.delete(file);
        write(h, "2026-12-01T12:00:02Z", 40);
        assertTrue(Files.readString(file).contains("\"at\":\"2026-12-01T12:00:02Z\""));
    }
}
