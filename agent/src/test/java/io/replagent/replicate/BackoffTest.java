package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    @Test void doublesUpToTheCapWithJitter() {
        long[][] cases = { // attempt, jitter*1000, expected millis
                {1, 500, 1000}, {2, 500, 2000}, {3, 500, 4000}, {7, 500, 60_000}, {50, 500, 60_000},
                {1, 0, 800}, {1, 999, 1200}, {7, 0, 48_000},
        };
        for (long[] c : cases) {
            Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> c[1] / 1000.0);
            assertEquals(c[2], b.delay((int) c[0]).toMillis(), 1, "attempt " + c[0] + " jitter " + c[1]);
        }
    }
}
