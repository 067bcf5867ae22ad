package io.replagent.state;

import java.nio.file.Path;

/**
 * Kernel inotify limits under {@code /proc/sys/fs/inotify}. A zero value means "no requirement".
 *
 * @param ensure      CHECK: warn in plan and refuse in apply when short; RAISE: write and persist them
 * @param sysctlFile  where RAISE persists the values (e.g. /etc/sysctl.d/90-agent-inotify.conf)
 */
public record InotifyLimits(Ensure ensure, long maxUserWatches, long maxQueuedEvents, long maxUserInstances, Path sysctlFile) {

    public enum Ensure { CHECK, RAISE }
}
