package io.replagent.replicate;

import io.replagent.system.Log;
import io.replagent.system.LogFormat;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullSyncProgressTest {

    private final AtomicLong clock = new AtomicLong();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Log.Level.INFO, LogFormat.TEXT);

    private String logged() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    @Test void withoutATerminalTheFiguresAreLoggedEveryHalfMinute() {
        FullSyncProgress p = new FullSyncProgress("watch w target t: full sync", clock::get, log);
        for (int s = 1; s <= 61; s++) {
            clock.set(Duration.ofSeconds(s).toNanos());
            p.update(ProgressReporterTest.at(s * 1024L, s, s));
        }
        p.update(null);
        String text = logged();
        assertEquals(2, text.lines().filter(l -> l.contains("watch w target t: full sync ")).count(), text);
        assertTrue(text.contains("full sync 31%"), "30 s after the first figures: " + text);
        assertTrue(text.contains("full sync 61%"), text);
    }

    @Test void onATerminalTheFiguresAreALiveLineThereAndNothingIsLogged() {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        FullSyncProgress p = new FullSyncProgress("watch w target t: full sync", clock::get, log);
        p.showOn(new PrintStream(screen, true, StandardCharsets.UTF_8));
        p.update(ProgressReporterTest.at(1, 0, 0)); // the first figures start the report: not shown at once
        clock.set(Duration.ofMillis(300).toNanos());
        p.update(ProgressReporterTest.at(1_288_490_189, 45, 12_345));
        p.update(null);
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("\rwatch w target t: full sync 45%"), shown);
        assertTrue(shown.endsWith("\n"), "the line ends with the sync");
        assertEquals("", logged());
    }

    @Test void eachFullSyncStartsItsOwnReport() {
        FullSyncProgress p = new FullSyncProgress("watch w target t: full sync", clock::get, log);
        clock.set(Duration.ofSeconds(31).toNanos());
        p.update(ProgressReporterTest.at(1, 10, 1));
        p.update(null);
        clock.set(Duration.ofSeconds(40).toNanos());
        p.update(ProgressReporterTest.at(2, 20, 2)); // a new sync: its first interval starts now
        clock.set(Duration.ofSeconds(69).toNanos());
        p.update(ProgressReporterTest.at(3, 30, 3));
        clock.set(Duration.ofSeconds(70).toNanos());
        p.update(ProgressReporterTest.at(4, 40, 4));
        p.update(null);
        assertEquals(1, logged().lines().filter(l -> l.contains("full sync 40%")).count(), logged());
        assertEquals(0, logged().lines().filter(l -> l.contains("full sync 30%")).count(), logged());
    }
}
