package io.replagent.replicate;

import io.replagent.state.Watch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeleteGuardTest {

    private static final Watch.DeleteGuard COUNT_5 = new Watch.DeleteGuard(5, 0);
    private static final Watch.DeleteGuard HALF = new Watch.DeleteGuard(0, 50);

    /** A source with {@code files} regular files; records how far the walk had to go. */
    private static final class Files implements DeleteGuard.FileCount {
        final long files;
        long askedFor = -1;

        Files(long files) {
            this.files = files;
        }

        @Override public long atLeast(long enough) {
            askedFor = enough;
            return Math.min(files, enough);
        }
    }

    @Test void liveBatches() {
        // guard, deletes, confirmed, files left at the source → held?
        Object[][] cases = {
                {COUNT_5, 5L, false, 0L, false},
                {COUNT_5, 6L, false, 1000L, true},
                {COUNT_5, 6L, true, 1000L, false},               // confirmed by retry --allow-deletes
                {HALF, 10L, false, 10L, false},                  // 10 of 20: exactly half
                {HALF, 11L, false, 10L, true},
                {HALF, 1L, false, 0L, true},                     // the last file
                {Watch.DeleteGuard.NONE, 1000L, false, 0L, false},
                {Watch.DeleteGuard.DEFAULT, 1000L, false, 0L, false}, // the default guards full syncs only
                {new Watch.DeleteGuard(0, 100), 1000L, false, 0L, false},
        };
        for (Object[] c : cases) {
            String held = DeleteGuard.batch((Watch.DeleteGuard) c[0], (long) c[1], (boolean) c[2], new Files((long) c[3]));
            assertEquals(c[4], held != null, java.util.Arrays.toString(c) + ": " + held);
            if (held != null) assertTrue(held.startsWith(DeleteGuard.HELD), held);
        }
    }

    @Test void theWalkStopsOnceEnoughFilesAreSeen() {
        Files big = new Files(1_000_000);
        assertNull(DeleteGuard.batch(HALF, 3, false, big));
        assertEquals(3, big.askedFor, "3 deletes at 50%: 3 files left settle it");
        Files quarter = new Files(1_000_000);
        assertNull(DeleteGuard.batch(new Watch.DeleteGuard(0, 25), 10, false, quarter));
        assertEquals(30, quarter.askedFor);
    }

    @Test void aFullSyncCountsFirstWhenGuarded() {
        assertEquals(0, DeleteGuard.firstPass(Watch.DeleteGuard.DEFAULT, false));
        assertEquals(0, DeleteGuard.firstPass(COUNT_5, false));
        assertEquals(-1, DeleteGuard.firstPass(COUNT_5, true));
        assertEquals(-1, DeleteGuard.firstPass(Watch.DeleteGuard.NONE, false));
    }

    @Test void fullSyncVerdicts() {
        // guard, skipped deletions, target entries before → the second pass's limit, or -1 held
        Object[][] cases = {
                {Watch.DeleteGuard.DEFAULT, 1L, 2L, 1L},          // 50%: allowed, up to half of the target
                {Watch.DeleteGuard.DEFAULT, 100L, 200L, 100L},
                {Watch.DeleteGuard.DEFAULT, 101L, 200L, -1L},
                {Watch.DeleteGuard.DEFAULT, 200L, 201L, -1L},     // an emptied source
                {COUNT_5, 5L, 10L, 5L},
                {COUNT_5, 6L, 1000L, -1L},
                {new Watch.DeleteGuard(0, 10), 9L, 100L, 10L},
        };
        for (Object[] c : cases) {
            DeleteGuard.Verdict v = DeleteGuard.fullSync((Watch.DeleteGuard) c[0], false, (long) c[1], (long) c[2]);
            assertEquals((long) c[3] >= 0, v.allowed(), java.util.Arrays.toString(c) + ": " + v);
            if (v.allowed()) assertEquals(c[3], v.limit(), java.util.Arrays.toString(c));
            else assertTrue(v.held().contains("nothing was deleted"), v.held());
        }
        assertEquals("mass delete held: the initial sync would delete 200 of 201 entries on the target (99%), "
                + "max_delete allows 50%; nothing was deleted", DeleteGuard.fullSync(Watch.DeleteGuard.DEFAULT, true, 200, 201).held());
    }
}
