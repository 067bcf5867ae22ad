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
 */
public record Settings(Path stateDir, Path statusFile, Path controlSocket, LogLevel logLevel, InotifyLimits inotify) {

    public enum LogLevel { ERROR, WARN, INFO, DEBUG }
}
