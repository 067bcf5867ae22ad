package io.replagent.control;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running agent's end of the control socket.
 * <p>
 * The socket lives in a directory that is created 0700 (an existing one must not be writable by group or others),
 * the socket file is 0600, and every connection is checked with SO_PEERCRED: only root and the agent's own user are
 * served. A socket file left by a crashed agent is detected (connect refused) and replaced; a live one means another
 * agent owns it, and this one refuses to start.
 */
public final class ControlServer implements AutoCloseable {

    private static final int MAX_CLIENTS = 32;

    private final Path socket;
    private final Operations operations;
    private final String agentUser;
    private final ServerSocketChannel server;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ControlServer(Path socket, Operations operations, String agentUser, ServerSocketChannel server) {
        this.socket = socket;
        this.operations = operations;
        this.agentUser = agentUser;
        this.server = server;
    }

    /** Binds the socket and starts serving on a daemon thread. */
    public static ControlServer start(Path socket, Operations operations) throws IOException {
        prepareDirectory(socket.getParent());
        removeStaleSocket(socket);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on control socket " + socket + ": " + e.getMessage(), e);
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        ControlServer server = new ControlServer(socket, operations, System.getProperty("user.name"), channel);
        Thread acceptor = new Thread(server::acceptLoop, "control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    public Path socket() {
        return socket;
    }

    private static void prepareDirectory(Path dir) throws IOException {
        if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("control socket directory " + dir + " is writable by others ("
                    + PosixFilePermissions.toString(mode) + "): another user could replace the socket; "
                    + "use a directory only the agent's user can write (e.g. /run/agent, mode 0700)");
        }
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
        while (!closed.get()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!slots.tryAcquire()) {
                reject(client, "busy", "too many control connections (" + MAX_CLIENTS + ")");
                continue;
            }
            clients.add(client);
            Thread handler = new Thread(() -> {
                try {
                    serve(client);
                } finally {
                    clients.remove(client);
                    slots.release();
                    closeQuietly(client);
                }
            }, "control-client");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void serve(SocketChannel client) {
        try {
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            String peer = peerUser(client);
            if (!peer.equals("root") && !peer.equals(agentUser)) {
                send(out, Protocol.error(0, "denied", "user " + peer + " may not use the control socket "
                        + "(only root and " + agentUser + ")"));
                return;
            }
            String line;
            while ((line = Protocol.readLine(in, Protocol.MAX_LINE)) != null) {
                if (line.isBlank()) continue;
                handle(line, out);
            }
        } catch (Protocol.LineTooLongException e) {
            try {
                send(Channels.newOutputStream(client), Protocol.error(0, "bad_request", "request " + e.getMessage()));
            } catch (IOException ignored) {
                // the client is gone
            }
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

    private static String peerUser(SocketChannel client) throws IOException {
        UnixDomainPrincipal principal = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return principal.user().getName();
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void reject(SocketChannel client, String code, String message) {
        try (client) {
            send(Channels.newOutputStream(client), Protocol.error(0, code, message));
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /**
     * Stops accepting, disconnects every client and removes the socket file. Synchronized: the shutdown hook and the
     * main thread both close, and the JVM may halt as soon as the hook returns, so a second caller must wait until the
     * socket file is really gone.
     */
    @Override
    public synchronized void close() throws IOException {
        if (!closed.compareAndSet(false, true)) return;
        server.close();
        clients.forEach(ControlServer::closeQuietly);
        Files.deleteIfExists(socket);
    }
}
