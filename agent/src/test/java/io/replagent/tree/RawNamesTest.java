package io.replagent.tree;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawNamesTest {

    private static String raw(byte... bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test void bytesSurviveUnchanged() {
        byte[] b = {'a', (byte) 0xff, (byte) 0xc3, (byte) 0xa9, '\n'};
        assertArrayEquals(b, RawNames.bytes(RawNames.fromBytes(b, 0, b.length)));
        assertEquals("a\ufffd\u00e9\n", RawNames.display(raw(b)));
    }

    @Test void utf8AndPaths() {
        assertTrue(RawNames.isUtf8(RawNames.of(Path.of("/tmp/ünï"))));
        assertFalse(RawNames.isUtf8(raw((byte) 0xff)));
        Object[][] cases = { // path, parent, name
                {"a", "", "a"}, {"a/b/c", "a/b", "c"}, {"-x/ y", "-x", " y"},
        };
        for (Object[] c : cases) {
            assertEquals(c[1], RawNames.parent((String) c[0]));
            assertEquals(c[2], RawNames.name((String) c[0]));
        }
        assertEquals("a/b", RawNames.join("a", "b"));
        assertEquals("b", RawNames.join("", "b"));
    }
}
