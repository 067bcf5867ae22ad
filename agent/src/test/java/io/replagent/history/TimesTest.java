package io.replagent.history;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test void acceptsRfc3339AndRelativeForms() {
        Object[][] cases = {
                {"2026-12-01T08:15:02Z", "2026-12-01T08:15:02Z"},
                {"2026-12-01T08:15:02.123Z", "2026-12-01T08:15:02.123Z"},
                {"2026-12-01t08:15:02z", "2026-12-01T08:15:02Z"},
                {"2026-12-01T09:15:02+01:00", "2026-12-01T08:15:02Z"},
                {"2026-12-01 08:15:02Z", "2026-12-01T08:15:02Z"},
                {"2026-11-30T20:00:00-05:00", "2026-12-01T01:00:00Z"},
                {"now", "2026-12-01T10:00:00Z"},
                {"-2h", "2026-12-01T08:00:00Z"},
                {"- 2h", "2026-12-01T08:00:00Z"},
                {"2h ago", "2026-12-01T08:00:00Z"},
                {"90s ago", "2026-12-01T09:58:30Z"},
                {"-30m", "2026-12-01T09:30:00Z"},
                {"-1d", "2026-11-30T10:00:00Z"},
                {"1w ago", "2026-11-24T10:00:00Z"},
                {" 3H AGO ", "2026-12-01T07:00:00Z"},
        };
        for (Object[] c : cases) assertEquals(Instant.parse((String) c[1]), Times.parse((String) c[0], NOW), (String) c[0]);
    }

    @Test void refusesWhatIsNotATimeAndSaysWhatIs() {
        for (String s : new String[]{"", "yesterday", "2h", "+2h", "2026-12-01", "2026-12-01T08:15:02", "-2y", "ago"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Times.parse(s, NOW), s);
            assertTrue(e.getMessage().contains("RFC 3339"), e.getMessage());
        }
    }

    @Test void printsUtcWithZ() {
        assertEquals("2026-12-01T08:15:02.000Z", Times.format(Instant.parse("2026-12-01T09:15:02+01:00")));
    }
}
