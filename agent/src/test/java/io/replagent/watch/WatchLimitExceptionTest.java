package io.replagent.watch;

import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchLimitExceptionTest {

    /** The kernel's limit read here on its own (one read call: /proc/sys answers in one), not through Sysctl. */
    private static long kernelLimit() throws Exception {
        try (FileInputStream in = new FileInputStream("/proc/sys/fs/inotify/max_user_watches")) {
            byte[] buf = new byte[64];
            int n = in.read(buf);
            return Long.parseLong(new String(buf, 0, n, StandardCharsets.US_ASCII).strip());
        }
    }

    @Test void namesTheLimitTheNeedAndTheSetting() throws Exception {
        String message = WatchLimitException.watches("/data", 20_001).getMessage();
        assertTrue(message.startsWith("cannot watch every directory of /data: "), message);
        assertTrue(message.contains("fs.inotify.max_user_watches (" + kernelLimit() + ") is exhausted"), message);
        assertTrue(message.contains("this watch needs 20001 watches on its own"), message);
        assertTrue(message.contains("raise settings.inotify.max_user_watches (with ensure: raise)"), message);
    }
}
