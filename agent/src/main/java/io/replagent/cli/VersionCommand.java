package io.replagent.cli;

import picocli.CommandLine.Model.CommandSpec;

final class VersionCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        return Specs.command("print the agent's version", ExitCode.OK_HELP, ExitCode.USAGE_HELP);
    }

    @Override public int run(Args args, Io io) {
        io.out().println("agent " + version());
        return ExitCode.OK;
    }

    /** The jar's Implementation-Version; "dev" when run from classes. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
