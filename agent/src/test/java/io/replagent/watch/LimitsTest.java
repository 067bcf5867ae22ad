package io.replagent.watch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsTest {

    /** What cat reads, since it does not share the JVM's read pattern. */
    private static String cat(String name) throws Exception {
        Process p = new ProcessBuilder("cat", "/proc/sys/fs/inotify/" + name).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertEquals(0, p.waitFor());
        return out;
    }

    @Test void readsWholeValuesFromProc() throws Exception {
        for (String name : new String[] {"max_user_watches", "max_queued_events", "max_user_instances"}) {
            assertEquals(Long.parseLong(cat(name)), Limits.read(name), name);
        }
        assertEquals(-1, Limits.read("no_such_limit"));
        assertTrue(Limits.readProc(Path.of("/proc/sys/fs/inotify/max_user_watches")).length() > 1);
    }
}
