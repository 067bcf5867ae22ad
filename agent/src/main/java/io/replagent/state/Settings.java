package io.replagent.state;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Agent-wide settings.
 *
 * @param stateDir      where the agent keeps its own files (failure queue, apply lock)
 * @param statusFile    JSON status, rewritten on an interval while replicating
 * @param controlSocket Unix socket of the running agent (status, console)
 * @param logLevel      error, warn, info or debug
 * @param inotify       kernel limits the watches need, checked or raised
 * @param adopt         existing files the agent did not write that the state takes over (it replaces only its own)
 * @param watchBackend  how the watches see changes: fanotify where it works (auto), or one of them by name
 * @param logFormat     text, or one JSON object per line
 * @param metrics       Prometheus metrics: served, written to a file, or neither (empty)
 */
public record Settings(Path stateDir, Path statusFile, Path controlSocket, LogLevel logLevel, InotifyLimits inotify,
                       List<Path> adopt, WatchBackend watchBackend, LogFormat logFormat, Optional<Metrics> metrics) {

    public Settings {
        adopt = List.copyOf(adopt);
    }

    /** Settings that adopt no file, watch with the default backend, log text and export no metrics. */
    public Settings(Path stateDir, Path statusFile, Path controlSocket, LogLevel logLevel, InotifyLimits inotify) {
        this(stateDir, statusFile, controlSocket, logLevel, inotify, List.of(), WatchBackend.AUTO, LogFormat.TEXT,
                Optional.empty());
    }

    public enum LogLevel { ERROR, WARN, INFO, DEBUG }

    /** auto: fanotify when it can watch the source's filesystem, else inotify (and the log says why). */
    public enum WatchBackend { AUTO, INOTIFY, FANOTIFY }

    public enum LogFormat { TEXT, JSON }

    /**
     * @param listen   where /metrics is served, or empty
     * @param textfile rewritten every {@code interval} for node_exporter's textfile collector, or empty
     */
    public record Metrics(Optional<Listen> listen, Optional<Path> textfile, Duration interval) {}
}
