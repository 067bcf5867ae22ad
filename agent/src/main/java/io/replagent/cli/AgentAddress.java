package io.replagent.cli;

import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which running agent to talk to: {@code --socket PATH}, or the control socket of {@code --state FILE [--root DIR]},
 * or {@code $AGENT_SOCKET}, or the default {@code /run/agent/agent.sock}. Shared by status and console.
 */
final class AgentAddress {

    static final Path DEFAULT_SOCKET = Path.of("/run/agent/agent.sock");

    private AgentAddress() {}

    /** Adds {@code [--socket PATH | [--state FILE [--root DIR]]]} to a command. */
    static CommandSpec addTo(CommandSpec spec) {
        OptionSpec state = OptionSpec.builder("--state").paramLabel("FILE").type(String.class).required(true)
                .description("the control socket named by this state file (settings.control_socket)").build();
        ArgGroupSpec byState = ArgGroupSpec.builder().exclusive(false).multiplicity("0..1")
                .addArg(state).addArg(StateFileOptions.root("the --root the agent was started with")).build();
        spec.addArgGroup(ArgGroupSpec.builder().exclusive(true).multiplicity("0..1").addArg(socketOption())
                .addSubgroup(byState).build());
        return spec;
    }

    static OptionSpec socketOption() {
        return Specs.option("--socket", "PATH", Path.class, "the agent's control socket (default: $AGENT_SOCKET, else "
                + "/run/agent/agent.sock)");
    }

    /** The socket; empty when the state file named by --state is invalid (its problems are printed to stderr). */
    static Optional<Path> socket(Args args, Io io) {
        Path socket = args.value("--socket");
        if (socket != null) return Optional.of(socket);
        String state = args.value("--state");
        if (state != null) {
            return new StateFileOptions(state, args.value("--root")).load(io).map(l -> l.state().settings().controlSocket());
        }
        return Optional.of(fromEnvironment(io));
    }

    static Path fromEnvironment(Io io) {
        String fromEnv = io.env().get("AGENT_SOCKET");
        return fromEnv == null || fromEnv.isEmpty() ? DEFAULT_SOCKET : Path.of(fromEnv);
    }
}
