package io.replagent.watch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's inotify limits, as /proc/sys/fs/inotify shows them. */
public final class Limits {

    private Limits() {}

    /** @param name max_user_watches, max_queued_events or max_user_instances; -1 when unreadable */
    public static long read(String name) {
        try {
            return Long.parseLong(readProc(Path.of("/proc/sys/fs/inotify", name)));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A /proc file's text in ONE read: /proc files report size 0 and a read at a non-zero offset returns nothing
     * here, so Files.readAllBytes (which reads the first byte alone, then the rest) yields only the first digit.
     */
    public static String readProc(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII).trim();
        }
    }
}
