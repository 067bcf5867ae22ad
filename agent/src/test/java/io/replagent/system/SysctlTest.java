package io.replagent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlTest {

    @TempDir Path root;

    @Test void readsAndWritesDottedNamesUnderItsRoot() throws IOException {
        Sysctl sysctl = new Sysctl(root);
        Path file = root.resolve("fs/inotify/max_user_watches");
        assertEquals(file, sysctl.path("fs.inotify.max_user_watches"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, "8192\n");
        assertEquals(Optional.of(8192L), sysctl.read("fs.inotify.max_user_watches"));
        sysctl.write("fs.inotify.max_user_watches", 524288);
        assertEquals("524288\n", Files.readString(file));
        assertEquals(Optional.empty(), sysctl.read("fs.inotify.nothing"));
        Files.writeString(file, "many");
        assertThrows(IOException.class, () -> sysctl.read("fs.inotify.max_user_watches"));
    }

    @Test void readsTheKernelsOwnValues() throws IOException {
        assertTrue(new Sysctl(Sysctl.PROC_SYS).read("fs.inotify.max_user_watches").orElseThrow() > 0);
    }
}
