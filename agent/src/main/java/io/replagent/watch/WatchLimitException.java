package io.replagent.watch;

import io.replagent.system.Sysctl;

import java.io.IOException;

/** A kernel inotify limit stops the watcher; the message names the limit and the state setting that raises it. */
public final class WatchLimitException extends IOException {

    WatchLimitException(String message) {
        super(message);
    }

    static WatchLimitException watches(String source, long needed) {
        return new WatchLimitException("cannot watch every directory of " + source + ": fs.inotify.max_user_watches ("
                + new Sysctl(Sysctl.PROC_SYS).readOr("fs.inotify.max_user_watches", -1) + ") is exhausted; this watch needs " + needed
                + " watches on its own; raise settings.inotify.max_user_watches (with ensure: raise) above the"
                + " watches of all users");
    }
}
