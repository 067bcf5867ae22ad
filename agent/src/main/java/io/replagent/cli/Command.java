package io.replagent.cli;

import java.util.List;

/** One subcommand. Returns the process exit code; reports problems through {@link Io}, never by exiting. */
interface Command {

    /** One line for the usage table. */
    String summary();

    int run(List<String> args, Io io) throws Exception;
}
