package io.replagent.watch;

import io.replagent.system.Sysctl;
import io.replagent.tree.RawNames;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** An inotify instance: a non-blocking descriptor (the caller polls it), its watches, its records. */
final class Inotify implements AutoCloseable {

    private static final int ENOSPC = 28;
    private static final int EMFILE = 24;
    private static final int BUFFER = 64 * 1024;

    private final LibC libc = LibC.INSTANCE;
    private final int fd;
    private final Pointer buffer = Memory.allocateDirect(LibC.runtime(), BUFFER);

    Inotify() throws IOException {
        fd = libc.inotify_init1(LibC.IN_NONBLOCK | LibC.IN_CLOEXEC);
        if (fd < 0) {
            int errno = LibC.errno();
            if (errno == EMFILE)
                throw new WatchLimitException("cannot create an inotify instance: fs.inotify.max_user_instances ("
                        + new Sysctl(Sysctl.PROC_SYS).readOr("fs.inotify.max_user_instances", -1) + ") is reached; raise settings.inotify.max_user_instances"
                        + " with ensure: raise");
            throw new IOException("inotify_init1 failed: " + LibC.describe(errno));
        }
    }

    int fd() {
        return fd;
    }

    /** @return the watch descriptor, or -1 when the path is gone or not a directory (a race with a delete) */
    int addWatch(String rawAbsolute, int mask) throws IOException {
        int wd = libc.inotify_add_watch(fd, RawNames.cString(rawAbsolute), mask);
        if (wd >= 0) return wd;
        int errno = LibC.errno();
        if (errno == ENOSPC) throw new WatchLimitException(null);
        if (errno == 2 || errno == 20 || errno == 13 || errno == 40) return -1; // ENOENT, ENOTDIR, EACCES, ELOOP
        throw new IOException("inotify_add_watch " + RawNames.display(rawAbsolute) + " failed: " + LibC.describe(errno));
    }

    void removeWatch(int wd) {
        libc.inotify_rm_watch(fd, wd);
    }

    /** The records ready now (none when there are none: the descriptor does not block). */
    List<RawEvent> read() throws IOException {
        List<RawEvent> events = new ArrayList<>();
        long n = libc.read(fd, buffer, BUFFER);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EAGAIN || errno == LibC.EINTR) return events;
            throw new IOException("read from inotify failed: " + LibC.describe(errno));
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

    @Override public void close() {
        libc.close(fd);
    }
}
