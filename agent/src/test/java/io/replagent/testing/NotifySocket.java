package io.replagent.testing;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What systemd does for a Type=notify service: a bound AF_UNIX datagram socket the service's messages arrive on.
 * A path, or '@' and an abstract name, as {@code $NOTIFY_SOCKET} gives it.
 */
public final class NotifySocket implements AutoCloseable {

    public interface LibC {
        @SaveError int socket(int domain, int type, int protocol);

        @SaveError int bind(int fd, @In byte[] address, int length);

        @SaveError long recv(int fd, @Out byte[] buffer, long length, int flags);

        @SaveError int poll(Pointer fds, long count, int timeoutMillis);

        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private final String name;
    private final int fd;
    private final Pointer pollFd = Memory.allocateDirect(Runtime.getRuntime(LIBC), 8);

    public NotifySocket(String name) throws IOException {
        this.name = name;
        fd = LIBC.socket(1, 2 | 0x80000, 0);
        if (fd < 0) throw new IOException("socket: errno " + Runtime.getRuntime(LIBC).getLastError());
        boolean abstractName = name.startsWith("@");
        byte[] path = (abstractName ? name.substring(1) : name).getBytes(StandardCharsets.UTF_8);
        ByteBuffer a = ByteBuffer.allocate(2 + 1 + path.length).order(ByteOrder.nativeOrder()).putShort((short) 1);
        if (abstractName) a.put((byte) 0).put(path);
        else a.put(path).put((byte) 0);
        if (LIBC.bind(fd, a.array(), a.capacity()) != 0) {
            int errno = Runtime.getRuntime(LIBC).getLastError();
            LIBC.close(fd);
            throw new IOException("bind " + name + ": errno " + errno);
        }
    }

    /** What {@code $NOTIFY_SOCKET} says for this socket. */
    public String name() {
        return name;
    }

    /** The next datagram, or empty when none arrived within {@code timeoutMillis}. */
    public Optional<String> receive(int timeoutMillis) throws IOException {
        pollFd.putInt(0, fd);
        pollFd.putShort(4, (short) 1);
        pollFd.putShort(6, (short) 0);
        int ready = LIBC.poll(pollFd, 1, timeoutMillis);
        if (ready < 0) throw new IOException("poll: errno " + Runtime.getRuntime(LIBC).getLastError());
        if (ready == 0) return Optional.empty();
        byte[] buffer = new byte[65536];
        long n = LIBC.recv(fd, buffer, buffer.length, 0);
        if (n < 0) throw new IOException("recv: errno " + Runtime.getRuntime(LIBC).getLastError());
        return Optional.of(new String(buffer, 0, (int) n, StandardCharsets.UTF_8));
    }

    /** The datagrams that arrive until one contains {@code wanted} (bounded by {@code timeout}), that one last. */
    public java.util.List<String> receiveUntil(String wanted, java.time.Duration timeout) throws IOException {
        java.util.List<String> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> m = receive(200);
            if (m.isEmpty()) continue;
            seen.add(m.get());
            if (m.get().contains(wanted)) return seen;
        }
        throw new AssertionError("no " + wanted + " in " + seen);
    }

    @Override public void close() {
        LIBC.close(fd);
    }
}
