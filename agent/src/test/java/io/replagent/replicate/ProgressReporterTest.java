package io.replagent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    static RsyncProgress at(long bytes, int percent, long files) {
        return new RsyncProgress(bytes, percent, 11.8 * 1024 * 1024, Duration.ofSeconds(492), files, 1000, 4135, true);
    }

    @Test
    void aTerminalGetsALiveLineAtMostFourTimesASecond() {
        AtomicLong clock = new AtomicLong();
        List<String> screen = new ArrayList<>();
        ProgressReporter r = new ProgressReporter("watch data target backup: initial sync", true, Duration.ofSeconds(30),
                clock::get, screen::add, line -> { throw new AssertionError(line); });
        r.update(at(1, 0, 0)); // at once: not yet
        clock.addAndGet(Duration.ofMillis(300).toNanos());
        r.update(at(1_288_490_189, 45, 12_345));
        clock.addAndGet(Duration.ofMillis(100).toNanos());
        r.update(at(1_300_000_000, 46, 12_400)); // 100 ms later: kept, not shown
        clock.addAndGet(Duration.ofMillis(200).toNanos());
        r.update(at(2_000, 47, 2));
        r.finish();
        assertEquals(List.of(
                "\rwatch data target backup: initial sync 45%, 1.2 GiB, 12,345 files (1,000 of 4,135 to check, listing), 11.8 MiB/s, ETA 0:08:12",
                "\rwatch data target backup: initial sync 47%, 2.0 KiB, 2 files (1,000 of 4,135 to check, listing), 11.8 MiB/s, ETA 0:08:12"
                        + " ".repeat(5), // the longer line before is wiped
                "\n"), screen);
        assertEquals(at(2_000, 47, 2), r.latest());
    }

    @Test
    void otherwiseAPlainLogLineEveryInterval() {
        AtomicLong clock = new AtomicLong();
        List<String> log = new ArrayList<>();
        ProgressReporter r = new ProgressReporter("watch data target backup: full sync", false, Duration.ofSeconds(30),
                clock::get, text -> { throw new AssertionError(text); }, log::add);
        for (int s = 1; s <= 95; s++) {
            clock.set(Duration.ofSeconds(s).toNanos());
            r.update(at(s * 1024L, s, s));
        }
        r.finish();
        assertEquals(List.of(
                "watch data target backup: full sync 30%, 30.0 KiB, 30 files (1,000 of 4,135 to check, listing), 11.8 MiB/s, ETA 0:08:12",
                "watch data target backup: full sync 60%, 60.0 KiB, 60 files (1,000 of 4,135 to check, listing), 11.8 MiB/s, ETA 0:08:12",
                "watch data target backup: full sync 90%, 90.0 KiB, 90 files (1,000 of 4,135 to check, listing), 11.8 MiB/s, ETA 0:08:12"),
                log);
    }

    @Test
    void bytesInBinaryUnits() {
        assertEquals("0 B", ProgressReporter.bytes(0));
        assertEquals("1023 B", ProgressReporter.bytes(1023));
        assertEquals("1.0 KiB", ProgressReporter.bytes(1024));
        assertEquals("1.5 MiB", ProgressReporter.bytes(1536 * 1024));
        assertEquals("1.0 TiB", ProgressReporter.bytes(1L << 40));
    }
}
