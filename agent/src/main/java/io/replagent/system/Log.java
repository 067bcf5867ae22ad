package io.replagent.system;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's log: one line per message on a stream (stderr: the journal), at or above the level, as text or JSON
 * ({@link LogFormat}). The agent's messages about a watch or target start "watch W target T: " (names hold no spaces):
 * in JSON those become the fields watch and target. No framework.
 */
public final class Log {

    /** error, warn, info, debug: the order of the state's log.level. */
    public enum Level { ERROR, WARN, INFO, DEBUG }

    private static final Pattern SUBJECT = Pattern.compile("watch (\\S+?)(?: target (\\S+?))?: (.*)", Pattern.DOTALL);

    private final PrintStream out;
    private final LogFormat format;
    private volatile Level level;

    public Log(PrintStream out, Level level, LogFormat format) {
        this.out = out;
        this.level = level == null ? Level.INFO : level;
        this.format = format == null ? LogFormat.TEXT : format;
    }

    /** Changed at runtime from the console, or by a reload. */
    public void level(Level level) {
        this.level = level;
    }

    public void error(String message) { write(Level.ERROR, message); }
    public void warn(String message) { write(Level.WARN, message); }
    public void info(String message) { write(Level.INFO, message); }
    public void debug(String message) { write(Level.DEBUG, message); }

    /**
     * A line for the person who started the agent ("agent: replicating…", "Error: …"): as it is in text, where scripts
     * and tests wait for it; an object at {@code level} in JSON, so the stream stays one object per line.
     */
    public void plain(Level at, String message) {
        if (format == LogFormat.TEXT) out.println(message);
        else write(at, message);
    }

    /** At a level named "error", "warn", "info" or "debug". */
    public void at(String level, String message) { write(Level.valueOf(level.toUpperCase(Locale.ROOT)), message); }

    private void write(Level at, String message) {
        if (at.ordinal() > level.ordinal()) return;
        Map<String, String> fields = new LinkedHashMap<>();
        String text = message;
        if (format == LogFormat.JSON) {
            Matcher m = SUBJECT.matcher(message);
            if (m.matches()) {
                fields.put("watch", m.group(1));
                if (m.group(2) != null) fields.put("target", m.group(2));
                text = m.group(3);
            }
        }
        out.println(format.line(Instant.now(), at.name().toLowerCase(Locale.ROOT), text, fields));
    }
}
