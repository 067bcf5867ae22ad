package io.replagent.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agent completion bash}: the shell completion script, from the same definitions as the help. */
final class CompletionCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        CommandSpec spec = Specs.command("print the shell completion script: source <(agent completion bash), or install "
                + "it as /usr/share/bash-completion/completions/agent", ExitCode.OK_HELP, ExitCode.USAGE_HELP);
        spec.addPositional(Specs.positional("SHELL", "1", Shell.class, "the shell: bash"));
        return spec;
    }

    enum Shell { bash }

    @Override public int run(Args args, Io io) {
        io.out().print(AutoComplete.bash("agent", args.spec().root().commandLine()));
        io.out().flush();
        return ExitCode.OK;
    }
}
