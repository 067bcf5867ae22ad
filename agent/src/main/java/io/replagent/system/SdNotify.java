package io.replagent.system;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The service manager's notification socket (sd_notify(3)): one datagram per message to the AF_UNIX socket named by
 * {@code $NOTIFY_SOCKET}, a path or, with a leading '@', an abstract-namespace name. Java 17's NIO has no Unix
 * datagram sockets, hence three libc calls through jnr-ffi. Without {@code $NOTIFY_SOCKET} (not started by systemd
 * with Type=notify) there is nothing to notify.
 */
public final class SdNotify implements AutoCloseable {

    /** Public only because jnr-ffi generates the implementation in its own class loader; not an API. */
    public interface Socket {
        int AF_UNIX = 1;
        int SOCK_DGRAM = 2;
        int SOCK_CLOEXEC = 0x80000;
        int MSG_NOSIGNAL = 0x4000;

        @SaveError int socket(int domain, int type, int protocol);

        @SaveError long sendto(int fd, @In byte[] buffer, long length, int flags, @In byte[] address, int addressLength);

        int close(int fd);
    }

    /** sun_path holds 108 bytes; a path needs its terminating NUL, an abstract name does not. */
    static final int SUN_PATH = 108;

    private static final class Loaded {
        static final Socket LIBC = LibraryLoader.create(Socket.class).load("c");
    }

    private final String name;
    private final byte[] address;
    private final int fd;

    private SdNotify(String name, byte[] address, int fd) {
        this.name = name;
        this.address = address;
        this.fd = fd;
    }

    /**
     * The socket of {@code $NOTIFY_SOCKET}, or empty when it is not set.
     *
     * @throws IOException when it is set but unusable (not absolute, too long, no socket can be made)
     */
    public static Optional<SdNotify> fromEnvironment(Map<String, String> env) throws IOException {
        String name = env.get("NOTIFY_SOCKET");
        if (name == null || name.isEmpty()) return Optional.empty();
        return Optional.of(open(name));
    }

    /** A notifier for the socket {@code name} (a path, or '@' and an abstract name). */
    public static SdNotify open(String name) throws IOException {
        byte[] address = address(name);
        int fd = Loaded.LIBC.socket(Socket.AF_UNIX, Socket.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IOException("NOTIFY_SOCKET " + name + ": socket() failed: errno " + errno());
        return new SdNotify(name, address, fd);
    }

    /** A sockaddr_un: the family in host byte order, then the path with its NUL, or a NUL and the abstract name. */
    static byte[] address(String name) throws IOException {
        boolean abstractName = name.startsWith("@");
        if (!abstractName && !name.startsWith("/")) {
            throw new IOException("NOTIFY_SOCKET " + name + ": neither an absolute path nor an abstract name (@…)");
        }
        byte[] path = (abstractName ? name.substring(1) : name).getBytes(StandardCharsets.UTF_8);
        int length = 1 + path.length; // the NUL at the end of a path, or at the start of an abstract name
        if (length > SUN_PATH) throw new IOException("NOTIFY_SOCKET " + name + ": longer than a socket address holds");
        ByteBuffer b = ByteBuffer.allocate(2 + length).order(ByteOrder.nativeOrder());
        b.putShort((short) Socket.AF_UNIX);
        if (abstractName) b.put((byte) 0).put(path);
        else b.put(path).put((byte) 0);
        return b.array();
    }

    /**
     * Sends one message: newline-separated assignments, e.g. {@code "READY=1\nSTATUS=watching 2 trees"}.
     *
     * @throws IOException when the datagram cannot be sent (the manager is gone, the socket was removed)
     */
    public synchronized void send(String message) throws IOException {
        byte[] data = message.getBytes(StandardCharsets.UTF_8);
        long sent = Loaded.LIBC.sendto(fd, data, data.length, Socket.MSG_NOSIGNAL, address, address.length);
        if (sent < 0) throw new IOException("NOTIFY_SOCKET " + name + ": sendto failed: errno " + errno());
    }

    @Override public synchronized void close() {
        Loaded.LIBC.close(fd);
    }

    private static int errno() {
        return Runtime.getRuntime(Loaded.LIBC).getLastError();
    }
}
