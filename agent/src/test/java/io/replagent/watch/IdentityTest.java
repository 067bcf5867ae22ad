package io.replagent.watch;

import io.replagent.tree.RawNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** statx read through jnr-ffi agrees with what Java's own stat says. */
class IdentityTest {

    @TempDir Path tmp;

    @Test void deviceInodeAndKindAsJavaSeesThem() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Path file = Files.writeString(tmp.resolve("f"), "x");
        Identity d = Identity.of(RawNames.of(dir)).orElseThrow();
        assertEquals(((Number) Files.getAttribute(dir, "unix:ino")).longValue(), d.ino());
        assertTrue(d.dir());
        assertEquals(2, d.links());
        assertFalse(Identity.of(RawNames.of(file)).orElseThrow().dir());
        assertTrue(Identity.of(RawNames.of(tmp.resolve("missing"))).isEmpty());
        assertTrue(d.sameAs(Identity.of(RawNames.of(dir)).orElseThrow()));
        assertFalse(d.sameObject(Identity.of(RawNames.of(tmp)).orElseThrow()));
        assertTrue(Identity.of("/").orElseThrow().mountRoot(), "/ is the root of its mount");
        assertFalse(d.mountRoot());
    }

    @Test void aSymlinkIsNotFollowed() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("l"), tmp);
        assertFalse(Identity.of(RawNames.of(link)).orElseThrow().dir());
    }
}
