package io.replagent.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** A parsed command line as a command reads it: flags, option values (defaults applied), positionals. */
final class Args {

    private final CommandSpec spec;

    Args(CommandSpec spec) {
        this.spec = spec;
    }

    boolean flag(String name) {
        return Boolean.TRUE.equals(spec.findOption(name).getValue());
    }

    /** The option's value, its default when not given, or null. */
    <T> T value(String name) {
        return spec.findOption(name).getValue();
    }

    <T> T positional(int index) {
        return spec.positionalParameters().get(index).getValue();
    }

    /** A usage error of this command (exit 64, its usage line), for what the parser cannot check. */
    ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    CommandSpec spec() {
        return spec;
    }
}
