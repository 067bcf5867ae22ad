package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    @Test void dueOncePerIntervalCountedFromWhenItFired() {
        Schedule s = new Schedule(Duration.ofNanos(100), 1000);
        assertEquals(100, s.until(1000));
        assertFalse(s.due(1099));
        assertTrue(s.due(1150));
        assertFalse(s.due(1150), "once");
        assertEquals(100, s.until(1150));
        assertTrue(s.due(1250));
    }

    @Test void zeroIsOff() {
        Schedule s = new Schedule(Duration.ZERO, 0);
        assertFalse(s.due(Long.MAX_VALUE));
        assertEquals(-1, s.until(5));
    }
}
