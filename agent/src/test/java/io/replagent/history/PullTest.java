package io.replagent.history;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PullTest {

    @Test void aMovedCopyIsPulledByTheNamesBelowItsMovedDirectory() {
        String[][] cases = {
                {"a/b", "a/b", "a/b"},
                {"top/d00/f0", "top2/d00/f0", "d00/f0"},
                {"x/f", "deeper/x/f", "x/f"},
                {"old/same/f", "new/same/f", "same/f"},
                {"a/f", "b/f", "f"},
        };
        for (String[] c : cases) assertEquals(c[2], Pull.sameTail(c[0], c[1]), c[0] + " <- " + c[1]);
        assertThrows(IllegalArgumentException.class, () -> Pull.sameTail("a/x", "a/y"));
    }
}
