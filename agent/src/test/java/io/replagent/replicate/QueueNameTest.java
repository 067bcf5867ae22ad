package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueNameTest {

    @Test void readableWhereNamesArePlain() {
        assertEquals("data@backup", QueueName.of("data", "backup"));
        assertEquals("data@127.0.0.1%2Fdata", QueueName.of("data", "127.0.0.1/data"));
        assertEquals("w@%2Fsrv%2Fcopy", QueueName.of("w", "/srv/copy"));
    }

    @Test void noTwoPairsShareAFile() {
        List<String[]> pairs = List.of(new String[] {"a--b", "c"}, new String[] {"a", "b--c"}, new String[] {"a@b", "c"},
                new String[] {"a", "b@c"}, new String[] {"a%40b", "c"}, new String[] {"a_b", "c"}, new String[] {"a b", "c"},
                new String[] {"a", "b/c"}, new String[] {"a", "b_c"}, new String[] {"x".repeat(300), "t"},
                new String[] {"x".repeat(300), "u"}, new String[] {"x".repeat(167) + "%7E", "t"});
        Map<String, String> seen = new HashMap<>();
        for (String[] p : pairs) {
            String name = QueueName.of(p[0], p[1]);
            assertNull(seen.put(name, p[0] + " / " + p[1]), name + " twice");
            assertTrue(name.length() <= 200 && !name.contains("/"), name);
        }
        assertEquals(QueueName.legacy("a--b", "c"), QueueName.legacy("a", "b--c"), "the old scheme collided");
        assertNotEquals(QueueName.of("a--b", "c"), QueueName.of("a", "b--c"));
    }
}
