package io.replagent.system;

import java.time.Instant;
import java.util.Map;

/**
 * One log line, as text or as one JSON object (for journald, Loki and jq). The fields of a message (watch, target,
 * and what else it names: exit, error…) are a prefix in text, {@code "watch W target T: message"} as the agent has
 * always written it, and keys of their own in JSON, so a pipeline filters on them instead of parsing sentences.
 * Keys in JSON: time, level, message, then the fields in their order.
 */
public enum LogFormat {
    TEXT {
        @Override public String line(Instant at, String level, String message, Map<String, String> fields) {
            StringBuilder b = new StringBuilder().append(at).append(' ').append(level).append(' ');
            String watch = fields.get("watch");
            String target = fields.get("target");
            if (watch != null) b.append("watch ").append(watch).append(' ');
            if (target != null) b.append("target ").append(target).append(' ');
            if (watch != null || target != null) b.setLength(b.length() - 1);
            if (watch != null || target != null) b.append(": ");
            b.append(message);
            fields.forEach((k, v) -> {
                if (!k.equals("watch") && !k.equals("target") && v != null) b.append(' ').append(k).append('=').append(v);
            });
            return oneLine(b.toString());
        }
    },
    JSON {
        @Override public String line(Instant at, String level, String message, Map<String, String> fields) {
            StringBuilder b = new StringBuilder("{\"time\":");
            quote(b, at.toString());
            b.append(",\"level\":");
            quote(b, level);
            b.append(",\"message\":");
            quote(b, message);
            fields.forEach((k, v) -> {
                if (v == null) return;
                b.append(',');
                quote(b, k);
                b.append(':');
                quote(b, v);
            });
            return b.append('}').toString();
        }
    };

    /** The line for one message, without its line break. */
    public abstract String line(Instant at, String level, String message, Map<String, String> fields);

    /** A message's own line breaks (rsync's error output has several) would split it into lines of their own. */
    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r\n", " / ").replace('\n', ' ').replace('\r', ' ');
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(s, i)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    /** A lone surrogate is not UTF-8 encodable: it is escaped instead of becoming '?' on the stream. */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
