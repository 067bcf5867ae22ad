package io.replagent.watch;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

/**
 * The few libc calls the watcher needs. Paths are NUL-terminated byte arrays: file names are bytes, not text.
 * Public only because jnr-ffi generates the implementation in its own class loader; not an API.
 */
public interface LibC {

    int IN_NONBLOCK = 0x800;
    int IN_CLOEXEC = 0x80000;
    int POLLIN = 1;

    @SaveError int inotify_init1(int flags);

    @SaveError int inotify_add_watch(int fd, @In byte[] path, int mask);

    int inotify_rm_watch(int fd, int wd);

    @SaveError long read(int fd, Pointer buffer, long count);

    @SaveError long write(int fd, @In byte[] buffer, long count);

    int close(int fd);

    @SaveError int eventfd(int initval, int flags);

    @SaveError int poll(Pointer fds, long nfds, int timeoutMillis);

    @SaveError Pointer opendir(@In byte[] path);

    Pointer readdir(Pointer dir);

    int closedir(Pointer dir);

    LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");

    static int errno() {
        return Runtime.getRuntime(INSTANCE).getLastError();
    }

    static Runtime runtime() {
        return Runtime.getRuntime(INSTANCE);
    }
}
