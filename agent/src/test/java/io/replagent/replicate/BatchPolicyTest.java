package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchPolicyTest {

    private static final long S = 1_000_000_000L;

    @Test void whenABatchIsDue() {
        BatchPolicy policy = new BatchPolicy(Duration.ofSeconds(2), 100);
        // now, empty, full, changes, first change at, paused, retry at → nanos until due
        long[][] cases = {
                {10 * S, 1, 0, 0, 0, 0, 0, -1},            // nothing pending
                {10 * S, 0, 0, 1, 9 * S, 0, 0, S},         // the delay counts from the first change
                {10 * S, 0, 0, 1, 7 * S, 0, 0, 0},         // overdue: now
                {10 * S, 0, 0, 100, 10 * S, 0, 0, 0},      // max_delays changes: now
                {10 * S, 0, 1, 1, 10 * S, 0, 0, 0},        // collapsed into a full sync: now
                {10 * S, 0, 0, 1, 7 * S, 1, 0, -1},        // paused: never
                {10 * S, 0, 1, 1, 7 * S, 0, 13 * S, 3 * S}, // backoff first, even for a full sync
                {10 * S, 0, 0, 1, 9 * S, 0, 9 * S, S},     // a backoff that ended does not hold
        };
        for (long[] c : cases) {
            long got = policy.untilDue(c[0], new BatchPolicy.Pending(c[1] == 1, c[2] == 1, c[3], c[4]), c[5] == 1, c[6]);
            assertEquals(c[7], got, java.util.Arrays.toString(c));
        }
    }

    @Test void earliestOfTwoWaitsWhereMinusOneIsNone() {
        assertEquals(-1, BatchPolicy.earliest(-1, -1));
        assertEquals(5, BatchPolicy.earliest(-1, 5));
        assertEquals(5, BatchPolicy.earliest(5, -1));
        assertEquals(0, BatchPolicy.earliest(0, 5));
    }
}
