package io.replagent.watch;

import java.io.IOException;

/**
 * One backend's watch of a root that exists, from the moment it is set up until the root is lost or the watcher
 * closes. The thread of {@link RootWatcher} drives it: poll {@link #fd()}, {@link #read()}, check the root, then
 * {@link #report}. Reading and reporting are apart so the root is checked after the events are read and before
 * any is reported: an event read before a check that still finds the root happened while it was there.
 */
interface Session extends AutoCloseable {

    /** "inotify" or "fanotify". */
    String backend();

    /** The descriptor to poll for events. */
    int fd();

    int watchedDirectories();

    /** Reads the events ready now, without blocking, into the pending batch. */
    void read() throws IOException;

    /** What the pending events say happened to the root itself, for the message when it is found lost. */
    RootCheck.Hint hint();

    /**
     * Reports the pending events and the held ones due by {@code nowMillis} ({@link Long#MAX_VALUE}: all of them).
     *
     * @return null, or why the root is lost (an event or the backend's own check said so); nothing more was reported
     */
    String report(long nowMillis) throws IOException;

    /** Milliseconds until a held event is due, -1 when none is held. */
    long nextDeadline(long nowMillis);

    @Override void close();
}
