package io.replagent.watch;

import io.replagent.system.Sysctl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchLimitExceptionTest {

    @Test void namesTheLimitTheNeedAndTheSetting() {
        String message = WatchLimitException.watches("/data", 20_001).getMessage();
        assertTrue(message.contains("/data"), message);
        assertTrue(message.contains("fs.inotify.max_user_watches (" + new Sysctl(Sysctl.PROC_SYS).readOr("fs.inotify.max_user_watches", -1) + ")"), message);
        assertTrue(message.contains("needs 20001 watches"), message);
        assertTrue(message.contains("settings.inotify.max_user_watches") && message.contains("ensure: raise"), message);
    }
}
