package io.replagent.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * A listening Unix stream socket whose connections know their peer's pid, uid and gid ({@code SO_PEERCRED}; Java's
 * own socket channels give only the user and group, not the process) and whose reads can wait with a deadline.
 * Blocking calls are woken without closing a descriptor under another thread: {@link #close()} signals an eventfd
 * the accept loop polls, {@link Connection#shutdown()} shuts the socket down so a blocked read returns end of stream.
 * Each descriptor is closed by the thread that owns it.
 */
public final class UnixListener implements AutoCloseable {

    /** The libc calls of a socket server. Public only because jnr-ffi generates the implementation in its own class loader. */
    public interface LibC {
        @SaveError int socket(int domain, int type, int protocol);

        @SaveError int bind(int fd, @In byte[] address, int length);

        @SaveError int listen(int fd, int backlog);

        @SaveError int accept4(int fd, Pointer address, Pointer length, int flags);

        @SaveError int getsockopt(int fd, int level, int name, @Out int[] value, @In @Out int[] length);

        @SaveError int poll(@In @Out int[] fds, long count, int timeoutMillis);

        @SaveError long read(int fd, @Out byte[] buffer, long count);

        @SaveError long send(int fd, @In byte[] buffer, long count, int flags);

        @SaveError long write(int fd, @In byte[] buffer, long count);

        int shutdown(int fd, int how);

        int close(int fd);

        @SaveError int eventfd(int initial, int flags);

        int geteuid();
    }

    /** Who is at the other end of a connection, as the kernel says. */
    public record Peer(long pid, long uid, long gid) {}

    /** A read that waited past its deadline without a byte. */
    public static final class TimeoutException extends InterruptedIOException {
        TimeoutException() {
            super("no data before the deadline");
        }
    }

    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000, EFD_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1, SO_PEERCRED = 17, POLLIN = 1, SHUT_RDWR = 2, MSG_NOSIGNAL = 0x4000, EINTR = 4;
    private static final LibC C = LibraryLoader.create(LibC.class).load("c");

    private final int fd;
    private final int wake;
    private volatile boolean closed;

    private UnixListener(int fd, int wake) {
        this.fd = fd;
        this.wake = wake;
    }

    /** The effective uid of this process. */
    public static long effectiveUid() {
        return C.geteuid();
    }

    /** Binds {@code path} (which must not exist) and listens on it; the socket file takes the process's umask. */
    public static UnixListener bind(Path path, int backlog) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length > 107) throw new IOException("socket path longer than 107 bytes: " + path);
        byte[] address = new byte[2 + name.length + 1];
        address[0] = AF_UNIX; // sa_family_t, little-endian
        System.arraycopy(name, 0, address, 2, name.length);
        int fd = C.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IOException("socket: errno " + errno());
        if (C.bind(fd, address, address.length) < 0 || C.listen(fd, backlog) < 0) {
            int errno = errno();
            C.close(fd);
            throw new IOException(errno == 98 ? "address already in use" : errno == 13 ? "permission denied" : "errno " + errno);
        }
        int wake = C.eventfd(0, EFD_CLOEXEC);
        if (wake < 0) {
            C.close(fd);
            throw new IOException("eventfd: errno " + errno());
        }
        return new UnixListener(fd, wake);
    }

    /** Waits for the next connection; null once {@link #close()} was called (the listening socket is closed then). */
    public Connection accept() throws IOException {
        while (!closed) {
            int[] fds = {fd, POLLIN, wake, POLLIN};
            if (C.poll(fds, 2, -1) < 0) {
                if (errno() == EINTR) continue;
                throw new IOException("poll: errno " + errno());
            }
            if (closed || (fds[3] >>> 16) != 0) break;
            int client = C.accept4(fd, null, null, SOCK_CLOEXEC);
            if (client < 0) {
                if (errno() == EINTR || errno() == 103 /* ECONNABORTED */) continue;
                throw new IOException("accept: errno " + errno());
            }
            int[] credentials = new int[3];
            if (C.getsockopt(client, SOL_SOCKET, SO_PEERCRED, credentials, new int[] {12}) < 0) {
                C.close(client);
                continue;
            }
            return new Connection(client, new Peer(credentials[0], Integer.toUnsignedLong(credentials[1]),
                    Integer.toUnsignedLong(credentials[2])));
        }
        C.close(fd);
        C.close(wake);
        return null;
    }

    /** Stops {@link #accept()}: it returns null and closes the listening socket. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        byte[] one = {1, 0, 0, 0, 0, 0, 0, 0};
        C.write(wake, one, 8);
    }

    private static int errno() {
        return Runtime.getRuntime(C).getLastError();
    }

    /** One accepted connection: streams, a read deadline, and its peer. */
    public static final class Connection implements AutoCloseable {
        private final int fd;
        private final Peer peer;
        private final byte[] buffer = new byte[4096];
        private int start, end;
        private volatile long deadlineNanos = Long.MAX_VALUE;
        private volatile boolean shut;
        private boolean closed;

        Connection(int fd, Peer peer) {
            this.fd = fd;
            this.peer = peer;
        }

        public Peer peer() {
            return peer;
        }

        /** Reads from now on throw {@link TimeoutException} when no byte arrives by {@code nanoTime} (Long.MAX_VALUE: never). */
        public void readDeadline(long nanoTime) {
            deadlineNanos = nanoTime;
        }

        public InputStream input() {
            return new InputStream() {
                @Override public int read() throws IOException {
                    if (start == end && !fill()) return -1;
                    return buffer[start++] & 0xff;
                }

                @Override public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) return 0;
                    if (start == end && !fill()) return -1;
                    int n = Math.min(len, end - start);
                    System.arraycopy(buffer, start, b, off, n);
                    start += n;
                    return n;
                }
            };
        }

        private boolean fill() throws IOException {
            while (true) {
                if (shut) return false;
                long left = deadlineNanos == Long.MAX_VALUE ? -1 : (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (deadlineNanos != Long.MAX_VALUE && left <= 0) throw new TimeoutException();
                int[] fds = {fd, POLLIN};
                int ready = C.poll(fds, 1, (int) Math.min(Integer.MAX_VALUE, left));
                if (ready < 0 && errno() == EINTR) continue;
                if (ready < 0) throw new IOException("poll: errno " + errno());
                if (ready == 0) continue; // the deadline is checked above
                long n = C.read(fd, buffer, buffer.length);
                if (n < 0 && errno() == EINTR) continue;
                if (n < 0) throw new IOException("read: errno " + errno());
                if (n == 0) return false;
                start = 0;
                end = (int) n;
                return true;
            }
        }

        public OutputStream output() {
            return new OutputStream() {
                @Override public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override public void write(byte[] b, int off, int len) throws IOException {
                    byte[] rest = Arrays.copyOfRange(b, off, off + len);
                    while (rest.length > 0) {
                        long n = C.send(fd, rest, rest.length, MSG_NOSIGNAL);
                        if (n < 0 && errno() == EINTR) continue;
                        if (n < 0) throw new IOException(errno() == 32 ? "Broken pipe" : "send: errno " + errno());
                        rest = Arrays.copyOfRange(rest, (int) n, rest.length);
                    }
                }
            };
        }

        /** Wakes a read blocked on this connection (it returns end of stream) and ends both directions; keeps the descriptor. */
        public void shutdown() {
            shut = true;
            C.shutdown(fd, SHUT_RDWR);
        }

        /** Shuts down and closes the descriptor: only the thread that reads and writes the connection calls this. */
        @Override public synchronized void close() {
            if (closed) return;
            closed = true;
            shutdown();
            C.close(fd);
        }
    }
}
