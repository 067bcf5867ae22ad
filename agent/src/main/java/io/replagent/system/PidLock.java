package io.replagent.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

/**
 * An exclusive {@code flock(2)} on a file, which then holds the holder's pid, so whoever is refused can be told who
 * holds it. The kernel drops the lock when the holder's process dies, however it dies, so a stale file blocks no one.
 * flock, not Java's FileChannel lock: that one is fcntl(2), which the JVM loses as soon as any code of the process
 * closes another descriptor of the same file, for instance by reading the pid in it.
 */
public final class PidLock implements AutoCloseable {

    /** The libc calls of a lock. Public only because jnr-ffi generates the implementation in its own class loader. */
    public interface LibC {
        @SaveError int open(@In byte[] path, int flags, int mode);

        @SaveError int flock(int fd, int operation);

        int ftruncate(int fd, long length);

        @SaveError long pwrite(int fd, @In byte[] buffer, long count, long offset);

        int close(int fd);
    }

    private static final int O_RDWR = 02, O_CREAT = 0100, O_CLOEXEC = 02000000;
    private static final int LOCK_EX = 2, LOCK_NB = 4, EWOULDBLOCK = 11, EINTR = 4;
    private static final LibC C = LibraryLoader.create(LibC.class).load("c");

    /** The lock is held by another process (or another holder in this one). */
    public static final class HeldException extends IOException {
        private final Optional<Long> holder;

        HeldException(Path file, Optional<Long> holder) {
            super(file + " is held by pid " + holder.map(String::valueOf).orElse("unknown"));
            this.holder = holder;
        }

        public Optional<Long> holder() {
            return holder;
        }
    }

    private final Path file;
    private int fd;

    private PidLock(Path file, int fd) {
        this.file = file;
        this.fd = fd;
    }

    /**
     * Takes the lock at once or not at all; creates the file (and its directory) when missing.
     *
     * @throws HeldException when another holder has it
     */
    public static PidLock tryAcquire(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] path = Arrays.copyOf(file.toString().getBytes(StandardCharsets.UTF_8), file.toString().getBytes(StandardCharsets.UTF_8).length + 1);
        int fd = C.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) throw new IOException("cannot open " + file + ": errno " + errno());
        int result;
        do {
            result = C.flock(fd, LOCK_EX | LOCK_NB);
        } while (result < 0 && errno() == EINTR);
        if (result < 0) {
            int errno = errno();
            C.close(fd);
            if (errno == EWOULDBLOCK) throw new HeldException(file, holder(file));
            throw new IOException("cannot lock " + file + ": errno " + errno);
        }
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        if (C.ftruncate(fd, 0) < 0 || C.pwrite(fd, pid, pid.length, 0) != pid.length) {
            C.close(fd);
            throw new IOException("cannot write the pid to " + file + ": errno " + errno());
        }
        return new PidLock(file, fd);
    }

    /** The pid written in a lock file, when there is one (the holder's, while the lock is held). */
    public static Optional<Long> holder(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public Path file() {
        return file;
    }

    /** Releases the lock (closing the descriptor drops it); the file stays, for the next holder. */
    @Override public synchronized void close() {
        if (fd >= 0) C.close(fd);
        fd = -1;
    }

    private static int errno() {
        return Runtime.getRuntime(C).getLastError();
    }
}
