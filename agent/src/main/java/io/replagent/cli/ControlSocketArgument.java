package io.replagent.cli;

import io.replagent.state.State;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which running agent to talk to: {@code --socket PATH}, or the control socket of {@code --state FILE [--root DIR]},
 * or {@code $AGENT_SOCKET}, or the default {@code /run/agent/agent.sock}. Shared by status and console.
 */
final class ControlSocketArgument {

    static final Path DEFAULT = Path.of("/run/agent/agent.sock");
    static final String USAGE = "[--socket PATH | --state FILE [--root DIR]]";

    private ControlSocketArgument() {}

    /** Takes the socket options out of {@code args} (what is left is the command's own) and returns the socket. */
    static Path take(List<String> args, Io io) throws UsageException {
        String socket = null;
        String stateFile = null;
        String root = "/";
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--socket" -> socket = value(args, ++i, arg);
                case "--state" -> stateFile = value(args, ++i, arg);
                case "--root" -> root = value(args, ++i, arg);
                default -> rest.add(arg);
            }
        }
        args.clear();
        args.addAll(rest);
        if (socket != null && stateFile != null) throw new UsageException("give --socket or --state, not both");
        if (socket != null) return Path.of(socket);
        if (stateFile != null) {
            Optional<State> state = StateArgs.parse(List.of(stateFile, "--root", root), Set.of(), Set.of()).load(io);
            if (state.isEmpty()) throw new UsageException("cannot read the control socket from " + stateFile + " (problems above)");
            return state.get().settings().controlSocket();
        }
        String fromEnv = io.env().get("AGENT_SOCKET");
        return fromEnv == null || fromEnv.isEmpty() ? DEFAULT : Path.of(fromEnv);
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) throw new UsageException(option + " needs a value");
        return args.get(i);
    }
}
