package io.replagent.replicate;

import io.replagent.state.Settings.LogLevel;

import java.io.PrintStream;
import java.time.Instant;

/** One line per message on a stream (stderr in the agent), at or above the configured level. No framework. */
final class Log {

    private final PrintStream out;
    private volatile LogLevel level;

    Log(PrintStream out, LogLevel level) {
        this.out = out;
        this.level = level == null ? LogLevel.INFO : level;
    }

    /** Changed at runtime from the console. */
    void level(LogLevel level) {
        this.level = level;
    }

    void error(String message) { write(LogLevel.ERROR, message); }
    void warn(String message) { write(LogLevel.WARN, message); }
    void info(String message) { write(LogLevel.INFO, message); }
    void debug(String message) { write(LogLevel.DEBUG, message); }

    /** At a level named "error", "warn", "info" or "debug". */
    void at(String level, String message) { write(LogLevel.valueOf(level.toUpperCase(java.util.Locale.ROOT)), message); }

    private void write(LogLevel at, String message) {
        if (at.ordinal() > level.ordinal()) return;
        out.println(Instant.now() + " " + at.name().toLowerCase() + " " + message);
    }
}
