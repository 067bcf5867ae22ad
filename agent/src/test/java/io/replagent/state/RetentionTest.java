package io.replagent.state;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionTest {

    @Test void agesAndSizes() {
        Object[][] ages = {{"90m", Duration.ofMinutes(90)}, {"12h", Duration.ofHours(12)}, {"30d", Duration.ofDays(30)},
                {"2w", Duration.ofDays(14)}};
        for (Object[] c : ages) assertEquals(c[1], Retention.age((String) c[0]));
        Object[][] sizes = {{"0", 0L}, {"1048576", 1048576L}, {"1KiB", 1024L}, {"500MiB", 500L << 20}, {"10GiB", 10L << 30},
                {"2TiB", 2L << 40}, {"7B", 7L}};
        for (Object[] c : sizes) assertEquals(c[1], Retention.size((String) c[0]));
        for (String bad : new String[]{"", "30", "1y", "-1d", "1.5d", "1 d"}) assertThrows(IllegalArgumentException.class, () -> Retention.age(bad), bad);
        for (String bad : new String[]{"", "1GB", "1 GiB", "-1", "1gib", "99999999999999TiB"}) assertThrows(IllegalArgumentException.class, () -> Retention.size(bad), bad);
    }

    @Test void prunesOnlyWithALimit() {
        assertFalse(Retention.FOREVER.prunes());
        assertTrue(new Retention(Duration.ofDays(1), 0, 0).prunes());
        assertTrue(new Retention(Duration.ZERO, 3, 0).prunes());
        assertTrue(new Retention(Duration.ZERO, 0, 1).prunes());
    }
}
