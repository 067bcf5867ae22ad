package io.replagent.control;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The control protocol: one JSON object per line, each way.
 * <pre>
 * request   {"v":1,"id":7,"op":"status","args":{…}}
 * response  {"v":1,"id":7,"ok":true,"result":…}
 *           {"v":1,"id":7,"ok":false,"error":{"code":"unknown_op","message":"…"}}
 * stream    {"v":1,"id":7,"ok":true,"event":…}   (repeated until the client closes the connection)
 * </pre>
 */
final class Protocol {

    static final int VERSION = 1;
    /** A request longer than this is refused and the connection closed: nothing legitimate is that long. */
    static final int MAX_LINE = 64 * 1024;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Protocol() {}

    /** Reads one line (without the newline); null at end of stream. */
    static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            if (line.size() >= max) throw new LineTooLongException(max);
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    static ObjectNode envelope(long id) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("id", id);
        return node;
    }

    static String ok(long id, Object result) {
        ObjectNode node = envelope(id);
        node.put("ok", true);
        node.set("result", JSON.valueToTree(result));
        return node.toString();
    }

    static String event(long id, Object event) {
        ObjectNode node = envelope(id);
        node.put("ok", true);
        node.set("event", JSON.valueToTree(event));
        return node.toString();
    }

    static String error(long id, String code, String message) {
        ObjectNode node = envelope(id);
        node.put("ok", false);
        ObjectNode error = node.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return node.toString();
    }

    static JsonNode parse(String line) {
        return JSON.readTree(line);
    }

    static final class LineTooLongException extends IOException {
        LineTooLongException(int max) {
            super("line longer than " + max + " bytes");
        }
    }
}
