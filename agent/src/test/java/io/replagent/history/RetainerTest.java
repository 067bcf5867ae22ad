package io.replagent.history;

import io.replagent.state.Retention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetainerTest {

    private static final Instant NOW = Instant.parse("2026-12-10T00:00:00Z");

    @TempDir Path root;

    private void copy(Instant batch, String path, String content) throws Exception {
        Path p = root.resolve(Layout.HISTORY).resolve(Layout.batch(batch)).resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test void prunesOnItsScheduleAndMeasuresWhatIsLeft() throws Exception {
        Files.writeString(root.resolve("mirror-file"), "never pruned");
        copy(NOW.minus(Duration.ofDays(3)), "a", "old");
        copy(NOW.minus(Duration.ofHours(1)), "a", "new!");
        Files.createDirectories(root.resolve(Layout.JOURNAL));
        Retainer r = new Retainer(root, new Retention(Duration.ofDays(1), 0, 0));
        Retainer.Report first = r.runIfDue(NOW).orElseThrow();
        assertEquals(1, first.batchesPruned());
        assertEquals(3, first.bytesFreed());
        assertEquals(4, first.bytes());
        assertEquals(1, first.versions());
        assertEquals(Layout.batch(NOW.minus(Duration.ofHours(1))), first.oldest());
        assertNull(first.error());
        assertFalse(r.runIfDue(NOW.plus(Duration.ofMinutes(59))).isPresent(), "keep 1d: it runs hourly");
        assertTrue(r.runIfDue(NOW.plus(Duration.ofHours(1))).isPresent());
        assertEquals("never pruned", Files.readString(root.resolve("mirror-file")));
    }

    @Test void withoutLimitsItOnlyMeasures() throws Exception {
        copy(NOW.minus(Duration.ofDays(300)), "x", "kept");
        Retainer.Report report = new Retainer(root, Retention.FOREVER).runIfDue(NOW).orElseThrow();
        assertEquals(0, report.batchesPruned());
        assertEquals(1, report.versions());
    }
}
