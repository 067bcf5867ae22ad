package io.replagent.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's inotify limits, as /proc/sys/fs/inotify shows them. */
public final class Limits {

    private Limits() {}

    /** @param name max_user_watches, max_queued_events or max_user_instances; -1 when unreadable */
    public static long read(String name) {
        try {
            // readAllBytes: /proc files report size 0, and offset reads return nothing
            return Long.parseLong(new String(Files.readAllBytes(Path.of("/proc/sys/fs/inotify", name)),
                    StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
