package io.replagent.watch;

import io.replagent.tree.RawNames;
import io.replagent.system.Sysctl;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An inotify instance read without blocking forever: a non-blocking inotify fd and an eventfd polled together,
 * so {@link #wake()} ends a wait from another thread (a blocking read through jnr-ffi cannot be interrupted).
 */
final class Inotify implements AutoCloseable {

    private static final int ENOSPC = 28;
    private static final int EMFILE = 24;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int BUFFER = 64 * 1024;

    private final LibC libc = LibC.INSTANCE;
    private final int fd;
    private final int wakeFd;
    private final Pointer buffer = Memory.allocateDirect(LibC.runtime(), BUFFER);
    private final Pointer pollFds = Memory.allocateDirect(LibC.runtime(), 16);

    Inotify() throws IOException {
        fd = libc.inotify_init1(LibC.IN_NONBLOCK | LibC.IN_CLOEXEC);
        if (fd < 0) {
            int errno = LibC.errno();
            if (errno == EMFILE)
                throw new WatchLimitException("cannot create an inotify instance: fs.inotify.max_user_instances ("
                        + new Sysctl(Sysctl.PROC_SYS).readOr("fs.inotify.max_user_instances", -1) + ") is reached; raise settings.inotify.max_user_instances"
                        + " with ensure: raise");
            throw new IOException("inotify_init1 failed: errno " + errno);
        }
        wakeFd = libc.eventfd(0, LibC.IN_NONBLOCK | LibC.IN_CLOEXEC);
        if (wakeFd < 0) {
            libc.close(fd);
            throw new IOException("eventfd failed: errno " + LibC.errno());
        }
    }

    /** @return the watch descriptor, or -1 when the path is gone or not a directory (a race with a delete) */
    int addWatch(String rawAbsolute, int mask) throws IOException {
        int wd = libc.inotify_add_watch(fd, RawNames.cString(rawAbsolute), mask);
        if (wd >= 0) return wd;
        int errno = LibC.errno();
        if (errno == ENOSPC) throw new WatchLimitException(null);
        if (errno == 2 || errno == 20 || errno == 13 || errno == 40) return -1; // ENOENT, ENOTDIR, EACCES, ELOOP
        throw new IOException("inotify_add_watch " + RawNames.display(rawAbsolute) + " failed: errno " + errno);
    }

    void removeWatch(int wd) {
        libc.inotify_rm_watch(fd, wd);
    }

    /** Waits up to {@code timeoutMillis} (-1: forever) for events; returns none when woken or timed out. */
    List<RawEvent> read(int timeoutMillis) throws IOException {
        pollFds.putInt(0, fd);
        pollFds.putShort(4, (short) LibC.POLLIN);
        pollFds.putShort(6, (short) 0);
        pollFds.putInt(8, wakeFd);
        pollFds.putShort(12, (short) LibC.POLLIN);
        pollFds.putShort(14, (short) 0);
        int ready = libc.poll(pollFds, 2, timeoutMillis);
        if (ready < 0) {
            if (LibC.errno() == EINTR) return List.of();
            throw new IOException("poll failed: errno " + LibC.errno());
        }
        List<RawEvent> events = new ArrayList<>();
        if (ready == 0 || (pollFds.getShort(14) & LibC.POLLIN) != 0) return events;
        long n = libc.read(fd, buffer, BUFFER);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == EAGAIN || errno == EINTR) return events;
            throw new IOException("read from inotify failed: errno " + errno);
        }
        byte[] bytes = new byte[(int) n];
        buffer.get(0, bytes, 0, bytes.length);
        for (int at = 0; at + 16 <= n; ) {
            int wd = buffer.getInt(at);
            int mask = buffer.getInt(at + 4);
            int cookie = buffer.getInt(at + 8);
            int len = buffer.getInt(at + 12);
            int nameEnd = at + 16;
            while (nameEnd < at + 16 + len && bytes[nameEnd] != 0) nameEnd++;
            events.add(new RawEvent(wd, mask, cookie, RawNames.fromBytes(bytes, at + 16, nameEnd - at - 16)));
            at += 16 + len;
        }
        return events;
    }

    /** Makes a current or the next {@link #read} return at once. Safe from any thread. */
    void wake() {
        libc.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
    }

    @Override public void close() {
        libc.close(fd);
        libc.close(wakeFd);
    }
}
