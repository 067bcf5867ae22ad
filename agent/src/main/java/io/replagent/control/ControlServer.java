package io.replagent.control;

import io.replagent.system.UnixListener;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.DirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;

/**
 * The running agent's end of the control socket.
 * <p>
 * The socket lives in a directory of its own that is made 0700 (also when it existed: one owned by another user, or
 * shared with other directories or other users' files, is refused), the socket file is 0600, and every connection is
 * checked with SO_PEERCRED: only root and the agent's own user are served; anyone else is answered "denied".
 * Connections cannot starve the socket: at most {@link Limits#total} at once and {@link Limits#perProcess} per client
 * process (the peer's pid), others are answered "busy"; a connection without a request for {@link Limits#idle} is
 * answered "idle" and closed (the client reconnects). A socket file left by a crashed agent is detected (connect
 * refused) and replaced; a live one means another agent owns it, and this one refuses to start. Closing removes the
 * socket file only while it is still the one this server bound.
 */
public final class ControlServer implements AutoCloseable {

    /** How many connections are served at once, per client process, and how long one may sit idle. */
    record Limits(int total, int perProcess, Duration idle, LongPredicate allowedUid) {
        static Limits standard() {
            long self = UnixListener.effectiveUid();
            return new Limits(32, 4, Duration.ofSeconds(60), uid -> uid == 0 || uid == self);
        }
    }

    private final Path socket;
    private final Object socketFile;
    private final Operations operations;
    private final String agentUser;
    private final Limits limits;
    private final UnixListener listener;
    private final Map<Long, Integer> perProcess = new HashMap<>();
    private final Set<UnixListener.Connection> clients = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ControlServer(Path socket, Object socketFile, Operations operations, Limits limits, UnixListener listener) {
        this.socket = socket;
        this.socketFile = socketFile;
        this.operations = operations;
        this.agentUser = System.getProperty("user.name");
        this.limits = limits;
        this.listener = listener;
    }

    /** Binds the socket and starts serving on a daemon thread. */
    public static ControlServer start(Path socket, Operations operations) throws IOException {
        return start(socket, operations, Limits.standard());
    }

    static ControlServer start(Path socket, Operations operations, Limits limits) throws IOException {
        prepareDirectory(socket.getParent());
        removeStaleSocket(socket);
        UnixListener listener;
        try {
            listener = UnixListener.bind(socket, 64);
        } catch (IOException e) {
            throw new IOException("cannot listen on control socket " + socket + ": " + e.getMessage(), e);
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Object identity = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        ControlServer server = new ControlServer(socket, identity, operations, limits, listener);
        Thread acceptor = new Thread(server::acceptLoop, "control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    public Path socket() {
        return socket;
    }

    /** Connections being served now. */
    int connections() {
        return clients.size();
    }

    /** Connections of process {@code pid} being served now. */
    synchronized int connectionsOf(long pid) {
        return perProcess.getOrDefault(pid, 0);
    }

    /**
     * A directory only the agent's user can enter. An existing one is tightened to 0700 when it is the agent's own:
     * owned by this user and holding no directory and nothing of another user. /run, /tmp or a home are not.
     */
    private static void prepareDirectory(Path dir) throws IOException {
        if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return;
        }
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) throw new IOException("control socket directory " + dir + " is not a directory");
        long self = UnixListener.effectiveUid();
        if (uid(dir) != self)
            throw new IOException("control socket directory " + dir + " is owned by " + attributes.owner().getName()
                    + ", not by the agent's user: another user could replace the socket; use a directory of the agent's own "
                    + "(e.g. /run/agent, mode 0700)");
        if (attributes.permissions().equals(PosixFilePermissions.fromString("rwx------"))) return;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) || uid(entry) != self)
                    throw new IOException("control socket directory " + dir + " is mode "
                            + PosixFilePermissions.toString(attributes.permissions()) + " and shared (it holds " + entry.getFileName()
                            + "): the agent makes only a directory of its own 0700; use one (e.g. /run/agent)");
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static long uid(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static void removeStaleSocket(Path socket) throws IOException {
        if (Files.notExists(socket, LinkOption.NOFOLLOW_LINKS)) return;
        BasicFileAttributes attributes = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isOther()) {
            throw new IOException("control socket path " + socket + " exists and is not a socket; remove it or choose "
                    + "another settings.control_socket");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new IOException("another agent is already running on control socket " + socket
                    + " (stop it first, or give this state another settings.control_socket)");
        } catch (ConnectException stale) {
            Files.delete(socket); // left by an agent that died without cleaning up
        }
    }

    private void acceptLoop() {
        while (true) {
            UnixListener.Connection client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (client == null) return; // closed
            UnixListener.Peer peer = client.peer();
            if (!limits.allowedUid().test(peer.uid())) {
                reject(client, "denied", "uid " + peer.uid() + " may not use the control socket (only root and "
                        + agentUser + ")");
                continue;
            }
            String busy = admit(peer.pid());
            if (busy != null) {
                reject(client, "busy", busy);
                continue;
            }
            clients.add(client);
            Thread handler = new Thread(() -> {
                try {
                    serve(client);
                } finally {
                    clients.remove(client);
                    release(peer.pid());
                    client.close();
                }
            }, "control-client");
            handler.setDaemon(true);
            handler.start();
        }
    }

    /** Takes a slot for a connection of process {@code pid}; the reason it gets none, or null. */
    private synchronized String admit(long pid) {
        int total = perProcess.values().stream().mapToInt(Integer::intValue).sum();
        if (total >= limits.total()) return "too many control connections (" + limits.total() + "); try again shortly";
        int mine = perProcess.getOrDefault(pid, 0);
        if (mine >= limits.perProcess())
            return "process " + pid + " already holds " + mine + " control connections (at most " + limits.perProcess() + ")";
        perProcess.put(pid, mine + 1);
        return null;
    }

    private synchronized void release(long pid) {
        perProcess.computeIfPresent(pid, (p, n) -> n > 1 ? n - 1 : null);
    }

    private void serve(UnixListener.Connection client) {
        OutputStream out = client.output();
        try {
            InputStream in = client.input();
            while (true) {
                client.readDeadline(System.nanoTime() + limits.idle().toNanos());
                String line = Protocol.readLine(in, Protocol.MAX_LINE);
                if (line == null) return;
                client.readDeadline(Long.MAX_VALUE);
                if (line.isBlank()) continue;
                handle(line, out);
            }
        } catch (UnixListener.TimeoutException e) {
            sendQuietly(out, Protocol.error(0, "idle", "no request for " + limits.idle().toSeconds() + " s: connection closed"));
        } catch (Protocol.LineTooLongException e) {
            sendQuietly(out, Protocol.error(0, "bad_request", "request " + e.getMessage()));
        } catch (IOException e) {
            // the client went away; nothing to do
        }
    }

    private void handle(String line, OutputStream out) throws IOException {
        JsonNode request;
        try {
            request = Protocol.parse(line);
        } catch (JacksonException e) {
            send(out, Protocol.error(0, "bad_request", "not a JSON object: " + e.getOriginalMessage()));
            return;
        }
        if (request == null || !request.isObject()) {
            send(out, Protocol.error(0, "bad_request", "a request is a JSON object with \"op\""));
            return;
        }
        long id = request.path("id").asLong(0);
        int version = request.path("v").asInt(Protocol.VERSION);
        if (version != Protocol.VERSION) {
            send(out, Protocol.error(id, "bad_request", "protocol version " + version + " is not supported (this agent speaks "
                    + Protocol.VERSION + ")"));
            return;
        }
        String op = request.path("op").asString("");
        JsonNode args = request.has("args") ? request.get("args") : NullNode.getInstance();
        if (op.equals("ops")) {
            send(out, Protocol.ok(id, operations.help()));
            return;
        }
        Operations.Entry entry = operations.get(op);
        if (entry == null) {
            send(out, Protocol.error(id, "unknown_op", op.isEmpty() ? "missing \"op\"" : "unknown operation '" + op
                    + "' (\"ops\" lists them)"));
            return;
        }
        try {
            if (entry.call() != null) {
                send(out, Protocol.ok(id, entry.call().run(args)));
            } else {
                AtomicBoolean open = new AtomicBoolean(true);
                entry.stream().run(args, event -> {
                    if (!open.get()) return;
                    try {
                        send(out, Protocol.event(id, event));
                    } catch (IOException gone) {
                        open.set(false);
                    }
                }, () -> open.get() && !closed.get());
            }
        } catch (ControlException e) {
            send(out, Protocol.error(id, e.code(), e.getMessage()));
        } catch (Exception e) {
            send(out, Protocol.error(id, "failed", String.valueOf(e.getMessage())));
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendQuietly(OutputStream out, String line) {
        try {
            send(out, line);
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    /** Answers a connection that is not served, then closes it (the client reads the answer even after EPIPE). */
    private static void reject(UnixListener.Connection client, String code, String message) {
        try (client) {
            sendQuietly(client.output(), Protocol.error(0, code, message));
        }
    }

    /**
     * Stops accepting, disconnects every client and removes the socket file, unless another agent has bound a socket
     * of its own at the path since (someone deleted this one): that one is not this server's to remove. Synchronized:
     * the shutdown hook and the main thread both close, and the JVM may halt as soon as the hook returns, so a second
     * caller must wait until the socket file is really gone.
     */
    @Override
    public synchronized void close() throws IOException {
        if (!closed.compareAndSet(false, true)) return;
        listener.close();
        clients.forEach(UnixListener.Connection::shutdown);
        try {
            Object now = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (socketFile.equals(now)) Files.deleteIfExists(socket);
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed already
        }
    }
}
