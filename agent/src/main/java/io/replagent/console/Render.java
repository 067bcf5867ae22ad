package io.replagent.console;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns control-protocol answers into text an operator reads at 3 a.m.: a status table, failure lists, health
 * findings, and an indented key/value form for everything else. Pure: JSON in, lines out (styles are applied by
 * {@link Style}, so colour can be switched off without changing content).
 */
final class Render {

    /** Paths listed under one failure reason; the count of the rest follows. */
    static final int FAILED_PATHS_SHOWN = 10;

    private Render() {}

    /**
     * One row per target: the questions "is it keeping up, and if not, why" in one screen; what is wrong comes from the
     * health findings the agent serves with the status, each with its fix.
     */
    static List<String> status(JsonNode status, Style style, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"WATCH", "TARGET", "STATE", "QUEUE", "OLDEST", "IN-FLIGHT", "LAST OK", "FAILED", "SENT"});
        List<String> notes = new ArrayList<>();
        for (JsonNode watch : status.path("watches")) {
            String watchName = watch.path("name").asString();
            for (JsonNode target : watch.path("targets")) {
                rows.add(new String[] {
                        watchName,
                        target.path("name").asString(),
                        target.path("state").asString(),
                        String.valueOf(target.path("queue_depth").asInt()),
                        age(target.path("oldest_pending_s").asDouble()),
                        String.valueOf(target.path("in_flight").asInt()),
                        since(target.path("last_success"), now),
                        String.valueOf(target.path("failure_count").asInt()),
                        target.path("files_sent").asLong() + " files, " + bytes(target.path("bytes_sent").asLong()),
                });
            }
            notes.add(style.dim("watch " + watchName + ": " + watch.path("source").asString() + ", "
                    + watch.path("watched_directories").asInt() + " directories watched, " + watch.path("events").asLong()
                    + " events, " + watch.path("overflows").asLong() + " overflows"));
        }
        List<String> lines = table(rows, style);
        lines.addAll(notes);
        history(status, style).forEach(l -> lines.add(style.dim(l)));
        lines.addAll(findings(status.path("health"), style, true));
        return lines;
    }

    /** One line per target with history and per module whose history this agent prunes: size, oldest, retention. */
    static List<String> history(JsonNode status, Style style) {
        List<String> lines = new ArrayList<>();
        for (JsonNode watch : status.path("watches")) {
            for (JsonNode target : watch.path("targets")) {
                JsonNode h = target.path("history");
                if (h.isObject()) lines.add("history of " + watch.path("name").asString() + "/" + target.path("name").asString()
                        + ": " + historyLine(h));
            }
        }
        for (JsonNode module : status.path("modules")) {
            lines.add("history of module " + module.path("name").asString() + " (" + module.path("path").asString() + "): "
                    + historyLine(module.path("history")));
        }
        return lines;
    }

    private static String historyLine(JsonNode h) {
        String kept = h.path("bytes").asLong() < 0 ? "not measured yet"
                : bytes(h.path("bytes").asLong()) + " in " + h.path("versions").asLong() + " versions, oldest "
                        + (h.path("oldest").isString() ? h.path("oldest").asString() : "none");
        return kept + "; " + h.path("retention").asString() + ", pruned by " + h.path("pruned_by").asString()
                + (h.path("error").isString() ? " (" + h.path("error").asString() + ")" : "");
    }

    /** Failure queue entries with the rsync error that left them there. */
    static List<String> failures(JsonNode status, String only, Style style) {
        List<String> lines = new ArrayList<>();
        for (JsonNode watch : status.path("watches")) {
            for (JsonNode target : watch.path("targets")) {
                String name = watch.path("name").asString() + "/" + target.path("name").asString();
                if (only != null && !Targets.matches(only, watch.path("name").asString(), target.path("name").asString())) continue;
                int count = target.path("failure_count").asInt();
                lines.add(style.bold(name) + ": " + (count == 0 ? style.good("no failures") : style.bad(count + " path(s) waiting")));
                // one rsync error usually fails many paths: show each error once, with the paths it left behind
                Map<String, List<String>> byError = new java.util.LinkedHashMap<>();
                for (JsonNode failure : target.path("failures")) {
                    byError.computeIfAbsent(failure.path("error").asString(), e -> new ArrayList<>()).add(failure.path("path").asString());
                }
                byError.forEach((error, paths) -> {
                    lines.add("  " + style.warn(error));
                    paths.stream().limit(FAILED_PATHS_SHOWN).forEach(path -> lines.add("    " + path));
                    if (paths.size() > FAILED_PATHS_SHOWN) lines.add("    … " + (paths.size() - FAILED_PATHS_SHOWN) + " more with this error");
                });
                if (count > target.path("failures").size()) {
                    lines.add("  … and " + (count - target.path("failures").size()) + " more");
                }
            }
        }
        return lines;
    }

    /** Health findings: a verdict per line, and the fix under anything not ok; {@code problemsOnly} leaves out the ok. */
    static List<String> findings(JsonNode checks, Style style, boolean problemsOnly) {
        List<String> lines = new ArrayList<>();
        for (JsonNode check : checks) {
            String verdict = check.path("verdict").asString();
            if (problemsOnly && verdict.equals("ok")) continue;
            String mark = switch (verdict) {
                case "ok" -> style.good("ok  ");
                case "warn" -> style.warn("warn");
                default -> style.bad("FAIL");
            };
            // rsync's error may take several lines: the ones after the first are indented under it
            lines.add(mark + "  " + check.path("check").asString() + ": " + check.path("cause").asString().strip().replace("\n", "\n      "));
            String fix = check.path("fix").asString("");
            if (!verdict.equals("ok") && !fix.isEmpty()) lines.add("      fix: " + fix);
        }
        return lines;
    }

    /** One line of the live event/batch tail. */
    static String activity(JsonNode a, Style style) {
        String time = a.path("at").asString("");
        if (time.length() >= 19) time = time.substring(11, 19);
        StringBuilder line = new StringBuilder(style.dim(time)).append(' ')
                .append(a.path("watch").asString()).append('/').append(a.path("target").asString("-")).append(' ')
                .append(a.path("kind").asString());
        if (a.path("paths").asInt() > 0) line.append(" paths=").append(a.path("paths").asInt());
        if (a.path("files").asLong() > 0) line.append(" files=").append(a.path("files").asLong());
        if (a.path("bytes").asLong() > 0) line.append(" bytes=").append(bytes(a.path("bytes").asLong()));
        if (a.path("seconds").asDouble() > 0) line.append(String.format(Locale.ROOT, " %.2fs", a.path("seconds").asDouble()));
        if (a.has("exit")) {
            int exit = a.path("exit").asInt();
            line.append(' ').append(exit == 0 ? style.good("exit 0") : style.bad("exit " + exit));
        }
        String message = a.path("message").asString("");
        if (!message.isEmpty()) line.append("  ").append(message);
        return line.toString();
    }

    /** Anything else: nested keys indented, lists as "- ". */
    static List<String> generic(JsonNode node) {
        List<String> lines = new ArrayList<>();
        generic(node, "", lines);
        return lines;
    }

    private static void generic(JsonNode node, String indent, List<String> lines) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                if (value.isContainer() && !value.isEmpty()) {
                    lines.add(indent + field.getKey() + ":");
                    generic(value, indent + "  ", lines);
                } else {
                    lines.add(indent + field.getKey() + ": " + scalar(value));
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isContainer()) {
                    List<String> inner = new ArrayList<>();
                    generic(item, "", inner);
                    for (int i = 0; i < inner.size(); i++) lines.add(indent + (i == 0 ? "- " : "  ") + inner.get(i));
                } else {
                    lines.add(indent + "- " + scalar(item));
                }
            }
        } else if (node.isString() && node.asString().contains("\n")) {
            for (String line : node.asString().split("\n", -1)) lines.add(indent + line);
        } else {
            lines.add(indent + scalar(node));
        }
    }

    private static String scalar(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) return "-";
        if (value.isContainer()) return value.isArray() ? "[]" : "{}";
        return value.asString();
    }

    static List<String> table(List<String[]> rows, Style style) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = rows.get(r)[i];
                String padded = i == width.length - 1 ? cell : cell + " ".repeat(width[i] - cell.length() + 2);
                line.append(r == 0 ? style.bold(padded) : i == 2 ? style.state(cell, padded) : padded);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    static String age(double seconds) {
        if (seconds <= 0) return "-";
        if (seconds < 1) return String.format(Locale.ROOT, "%.0fms", seconds * 1000);
        if (seconds < 120) return String.format(Locale.ROOT, "%.1fs", seconds);
        if (seconds < 7200) return String.format(Locale.ROOT, "%.0fm", seconds / 60);
        return String.format(Locale.ROOT, "%.1fh", seconds / 3600);
    }

    static String since(JsonNode instant, Instant now) {
        if (instant.isNull() || instant.isMissingNode() || instant.asString("").isEmpty()) return "never";
        try {
            return age(Duration.between(Instant.parse(instant.asString()), now).toMillis() / 1000.0) + " ago";
        } catch (DateTimeParseException e) {
            return instant.asString();
        }
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
