package io.replagent.watch;

import io.replagent.tree.RawNames;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;

/**
 * The watcher thread's one wait: a backend's descriptor, the mount table and an eventfd polled together, so
 * {@link #wake()} ends a wait from another thread (a blocking read through jnr-ffi cannot be interrupted) and a
 * mount or unmount anywhere wakes the watcher to check its root (fanotify has no unmount event).
 */
final class Poller implements AutoCloseable {

    static final int EVENTS = 1;
    static final int MOUNTS = 2;
    static final int WOKEN = 4;
    private static final int POLLERR = 8;

    private final LibC libc = LibC.INSTANCE;
    private final int wakeFd;
    private final int mountsFd;
    private final Pointer fds = Memory.allocateDirect(LibC.runtime(), 24);

    Poller() throws IOException {
        wakeFd = libc.eventfd(0, LibC.IN_NONBLOCK | LibC.IN_CLOEXEC);
        if (wakeFd < 0) throw new IOException("eventfd failed: " + LibC.describe(LibC.errno()));
        // POLLPRI on the mount table means "changed since the last poll"; without it the periodic check still runs
        mountsFd = libc.open(RawNames.cString(Mounts.MOUNTINFO), LibC.O_RDONLY | LibC.O_CLOEXEC);
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for events on {@code fd} (-1: none), a mount table change or
     * {@link #wake()}.
     *
     * @return {@link #EVENTS}, {@link #MOUNTS} and {@link #WOKEN} bits; 0 on timeout
     */
    int await(int fd, int timeoutMillis) throws IOException {
        entry(0, wakeFd, LibC.POLLIN);
        entry(1, mountsFd, LibC.POLLPRI);
        entry(2, fd, LibC.POLLIN);
        int ready = libc.poll(fds, 3, timeoutMillis);
        if (ready < 0) {
            if (LibC.errno() == LibC.EINTR) return 0;
            throw new IOException("poll failed: " + LibC.describe(LibC.errno()));
        }
        if (ready == 0) return 0;
        int out = 0;
        if ((revents(0) & LibC.POLLIN) != 0) out |= WOKEN;
        if ((revents(1) & (LibC.POLLPRI | POLLERR)) != 0) out |= MOUNTS;
        if ((revents(2) & LibC.POLLIN) != 0) out |= EVENTS;
        return out;
    }

    /** Makes a current or the next {@link #await} return at once. Safe from any thread. */
    void wake() {
        libc.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
    }

    private void entry(int index, int fd, int events) {
        fds.putInt(index * 8L, fd); // a negative descriptor is skipped by poll
        fds.putShort(index * 8L + 4, (short) events);
        fds.putShort(index * 8L + 6, (short) 0);
    }

    private int revents(int index) {
        return fds.getShort(index * 8L + 6);
    }

    @Override public void close() {
        libc.close(wakeFd);
        if (mountsFd >= 0) libc.close(mountsFd);
    }
}
