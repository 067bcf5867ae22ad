package io.replagent.system;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
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

    /** Whole values, as cat reads them: /proc returns nothing for reads at an offset, so one read must do. */
    @Test void readsTheKernelsOwnValues() throws Exception {
        Sysctl sysctl = new Sysctl(Sysctl.PROC_SYS);
        for (String name : new String[] {"max_user_watches", "max_queued_events", "max_user_instances"}) {
            Process cat = new ProcessBuilder("cat", "/proc/sys/fs/inotify/" + name).start();
            long expected = Long.parseLong(new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
            assertEquals(0, cat.waitFor());
            assertEquals(expected, sysctl.read("fs.inotify." + name).orElseThrow(), name);
        }
        assertEquals(-1, sysctl.readOr("fs.inotify.no_such_limit", -1));
    }
}
