package io.replagent.service;

import static io.replagent.testing.Statuses.idle;
import static io.replagent.testing.Statuses.target;
import static io.replagent.testing.Statuses.watch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.testing.Statuses;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    static final Instant T = Instant.EPOCH;

    @Test
    void anIdleAgentIsUpToDate() {
        assertEquals("1 watch, 2 targets, up to date",
                StatusLine.of(Statuses.of(watch("data", 1, 0, 0, null, idle("a", T), idle("b", T))), 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        initial sync  | 1 | initial sync, 1 of 2 left; 2 watches, 2 targets, 1 path waiting, oldest 3.0 s
        backlog       | 0 | 2 watches, 2 targets, 1 path waiting, oldest 3.0 s
        """)
    void theBacklogAndTheInitialSyncsLeft(String what, int left, String expected) {
        assertEquals(expected, StatusLine.of(Statuses.of(watch("data", 1, 0, 0, null, idle("a", T)),
                watch("home", 1, 0, 0, null, target("b", "pending", null, 1, 3.0, null, 0, 0, 0, 0, 0))), left));
    }

    @Test
    void retryingAndPausedTargetsAndTheFirstErrorInStateOrderAreNamed() {
        assertEquals("2 watches, 3 targets, 1042 paths waiting, oldest 61.5 s, 1 retrying, 1 paused; "
                        + "last error data/b: rsync exit 5: auth failed on module data",
                StatusLine.of(Statuses.of(
                        watch("data", 1, 0, 0, null,
                                target("a", "retrying", null, 1000, 61.5, null, 1000, 4, 0, 0, 0),
                                target("b", "paused", "rsync exit 5: auth failed on module data", 42, 12, null, 0, 0, 0, 0, 0)),
                        watch("home", 1, 0, 0, "source /srv/home is gone", idle("c", T))), 0));
        assertEquals("1 watch, 1 target, 1 path waiting, oldest 1.0 s, 1 paused; last error data/b: rsync exit 5: auth failed",
                StatusLine.of(Statuses.of(watch("data", 1, 0, 0, null,
                        target("b", "paused", "rsync exit 5: auth failed", 1, 1, null, 0, 0, 0, 0, 0))), 0));
    }

    @Test
    void aLongErrorIsCutToOneShortLine() {
        String line = StatusLine.of(Statuses.of(watch("data", 1, 0, 0, null,
                target("b", "paused", "x".repeat(500) + "\nsecond line", 1, 1, null, 0, 0, 0, 0, 0))), 0);
        assertEquals(StatusLine.MAX, line.length());
        assertTrue(line.endsWith("…") && !line.contains("\n"), line);
    }
}
