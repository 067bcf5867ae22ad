package io.replagent.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * One subcommand: how it is parsed and described (its picocli spec: description, options, parameters, exit codes),
 * and what it does. {@code run} returns the exit code ({@link ExitCode}) and reports through {@link Io}, never by
 * exiting; a usage error it finds itself is {@link Args#usageError}.
 */
interface AgentCommand {

    CommandSpec spec();

    int run(Args args, Io io) throws Exception;
}
