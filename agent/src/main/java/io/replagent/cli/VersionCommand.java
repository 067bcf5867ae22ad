package io.replagent.cli;

import java.util.List;

final class VersionCommand implements Command {

    @Override public String summary() { return "print the agent's version"; }

    @Override public int run(List<String> args, Io io) {
        String version = Main.class.getPackage().getImplementationVersion();
        io.out().println("agent " + (version == null ? "dev" : version));
        return ExitCode.OK;
    }
}
