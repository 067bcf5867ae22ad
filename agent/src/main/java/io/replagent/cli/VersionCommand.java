package io.replagent.cli;

import java.util.List;

final class VersionCommand implements Command {

    @Override public String summary() { return "print the agent's version"; }

    @Override public int run(List<String> args, Io io) {
        io.out().println("agent " + version());
        return ExitCode.OK;
    }

    /** The jar's Implementation-Version; "dev" when run from classes. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
