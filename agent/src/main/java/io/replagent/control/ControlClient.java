package io.replagent.control;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The console's and {@code agent status}'s end of the control socket. One request at a time. What the agent answers
 * a connection it does not serve ("busy", "denied") is read and thrown even when the agent closed first and sending
 * the request failed; a connection the agent closed as idle is opened again once, transparently.
 */
public final class ControlClient implements AutoCloseable {

    private final Path socket;
    private SocketChannel channel;
    private InputStream in;
    private OutputStream out;
    private long nextId = 1;

    private ControlClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        use(channel);
    }

    private void use(SocketChannel channel) {
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
        this.out = Channels.newOutputStream(channel);
    }

    public static ControlClient connect(Path socket) throws ControlException {
        return new ControlClient(socket, open(socket));
    }

    private static SocketChannel open(Path socket) throws ControlException {
        if (!Files.exists(socket)) {
            throw new ControlException("unreachable", "no agent is listening on " + socket
                    + " (no socket there: is `agent apply` running, and with this control_socket?)");
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (ConnectException e) {
            throw new ControlException("unreachable", "no agent is listening on " + socket
                    + " (connection refused: the agent that made it has stopped)");
        } catch (AccessDeniedException e) {
            throw new ControlException("denied", "permission denied on " + socket + " (run as root or the agent's user)");
        } catch (IOException e) {
            throw new ControlException("unreachable", "cannot reach the agent on " + socket + ": " + e.getMessage());
        }
    }

    /** Sends one request and returns its result, or throws the agent's error. */
    public JsonNode call(String op, JsonNode args) throws ControlException {
        try {
            return result(send(op, args), receive(), "result");
        } catch (ControlException e) {
            if (!e.code().equals(IDLE)) throw e;
            close(); // the agent never read the request: it closed the connection as idle before
            use(open(socket));
            return result(send(op, args), receive(), "result");
        }
    }

    /** The agent's answer to a connection it closes without reading a request. */
    static final String IDLE = "idle";

    /**
     * Sends a streaming request and hands each event to {@code sink} until the sink returns false or the agent ends
     * the stream. The connection is not reusable afterwards.
     */
    public void stream(String op, JsonNode args, Predicate<JsonNode> sink) throws ControlException {
        long id = send(op, args);
        while (true) {
            JsonNode response = receive();
            if (response == null) return;
            if (!sink.test(result(id, response, "event"))) return;
        }
    }

    private long send(String op, JsonNode args) throws ControlException {
        long id = nextId++;
        ObjectNode request = Protocol.envelope(id);
        request.put("op", op);
        if (args != null) request.set("args", args);
        try {
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // the agent may have answered (busy, denied, idle) and closed before the request arrived: say what it said
            JsonNode answer;
            try {
                answer = receive();
            } catch (ControlException unreadable) {
                answer = null;
            }
            if (answer != null && !answer.path("ok").asBoolean(true)) result(id, answer, "result");
            throw new ControlException("unreachable", "the agent on " + socket + " closed the connection: " + e.getMessage());
        }
        return id;
    }

    private JsonNode receive() throws ControlException {
        try {
            String line = Protocol.readLine(in, 64 * 1024 * 1024);
            return line == null ? null : Protocol.parse(line);
        } catch (IOException e) {
            throw new ControlException("unreachable", "lost the connection to the agent on " + socket + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw new ControlException("protocol", "the agent sent something that is not JSON: " + e.getOriginalMessage());
        }
    }

    private JsonNode result(long id, JsonNode response, String field) throws ControlException {
        if (response == null) throw new ControlException("unreachable", "the agent on " + socket + " closed the connection");
        if (!response.path("ok").asBoolean(false)) {
            JsonNode error = response.path("error");
            throw new ControlException(error.path("code").asString("failed"), error.path("message").asString("request failed"));
        }
        if (response.path("id").asLong() != id) throw new ControlException("protocol", "response to another request");
        return response.path(field);
    }

    /** Builds an args object for {@link #call}. */
    public static ObjectNode args() {
        return Protocol.JSON.createObjectNode();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
