package io.replagent.state;

import java.nio.file.Path;

/**
 * Agent-wide settings.
 *
 * @param stateDir      where the agent keeps its own files (failure queue, apply lock)
 * @param statusFile    JSON status, rewritten on an interval while replicating
 * @param controlSocket Unix socket of the running agent (status, console)
 * @param logLevel      error, warn, info or debug
 * @param inotify       kernel limits the watches need, checked or raised
 * @param watchBackend  how the watches see changes: fanotify where it works (auto), or one of them by name
 */
public record Settings(Path stateDir, Path statusFile, Path controlSocket, LogLevel logLevel, InotifyLimits inotify,
                       WatchBackend watchBackend) {

    public enum LogLevel { ERROR, WARN, INFO, DEBUG }

    /** auto: fanotify when it can watch the source's filesystem, else inotify (and the log says why). */
    public enum WatchBackend { AUTO, INOTIFY, FANOTIFY }
}
