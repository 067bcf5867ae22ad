package io.replagent.watch;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The few libc calls the watchers need. Paths are NUL-terminated byte arrays: file names are bytes, not text.
 * Public only because jnr-ffi generates the implementation in its own class loader; not an API.
 */
public interface LibC {

    int IN_NONBLOCK = 0x800;
    int IN_CLOEXEC = 0x80000;
    int POLLIN = 1;
    int POLLPRI = 2;
    int AT_FDCWD = -100;
    int AT_SYMLINK_NOFOLLOW = 0x100;
    int AT_EMPTY_PATH = 0x1000;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;
    /** O_DIRECTORY and O_NOFOLLOW differ between x86_64 and aarch64 (the two layouts {@link Dirs} supports). */
    int O_DIRECTORY = "aarch64".equals(System.getProperty("os.arch")) ? 0x4000 : 0x10000;
    int O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0x8000 : 0x20000;

    int EINTR = 4;
    int ENOENT = 2;
    int EAGAIN = 11;
    int ENOTDIR = 20;
    int ESTALE = 116;

    @SaveError int inotify_init1(int flags);

    @SaveError int inotify_add_watch(int fd, @In byte[] path, int mask);

    int inotify_rm_watch(int fd, int wd);

    @SaveError int fanotify_init(int flags, int eventFileFlags);

    @SaveError int fanotify_mark(int fd, int flags, long mask, int dirfd, @In byte[] path);

    /** {@code handle} is a struct file_handle: u32 handle_bytes, s32 handle_type, the bytes. */
    @SaveError int open_by_handle_at(int mountFd, @In byte[] handle, int flags);

    @SaveError int name_to_handle_at(int dirfd, @In byte[] path, byte[] handle, @Out int[] mountId, int flags);

    @SaveError int open(@In byte[] path, int flags);

    @SaveError long readlink(@In byte[] path, @Out byte[] buffer, long size);

    /** struct statfs is 120 bytes on x86_64 and aarch64; f_fsid at 56. */
    @SaveError int statfs(@In byte[] path, @Out byte[] buffer);

    /** struct statx is 256 bytes; see {@link Identity} for the fields read. */
    @SaveError int statx(int dirfd, @In byte[] path, int flags, int mask, @Out byte[] buffer);

    @SaveError long read(int fd, Pointer buffer, long count);

    @SaveError long write(int fd, @In byte[] buffer, long count);

    int close(int fd);

    String strerror(int errno);

    @SaveError int eventfd(int initval, int flags);

    @SaveError int poll(Pointer fds, long nfds, int timeoutMillis);

    @SaveError Pointer opendir(@In byte[] path);

    Pointer readdir(Pointer dir);

    int closedir(Pointer dir);

    LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");

    static int errno() {
        return Runtime.getRuntime(INSTANCE).getLastError();
    }

    /** The error's text and number, for messages: "Operation not permitted (errno 1)". */
    static String describe(int errno) {
        return INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }

    static Runtime runtime() {
        return Runtime.getRuntime(INSTANCE);
    }
}
