package io.replagent.cli;

import io.replagent.console.Console;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** {@code agent console}: the interactive diagnostics shell on a running agent. */
final class ConsoleCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        return AgentAddress.addTo(Specs.command("interactive diagnostics on the running agent: status, failures, doctor, "
                        + "retry, pause, resume, live events; tab completion, per-user history, Ctrl-D leaves",
                "0:left with quit or Ctrl-D", "1:error (an invalid --state file)", ExitCode.USAGE_HELP));
    }

    @Override public int run(Args args, Io io) throws IOException {
        Optional<Path> socket = AgentAddress.socket(args, io);
        if (socket.isEmpty()) return ExitCode.ERROR;
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("agent").build()) {
            return Console.run(terminal, socket.get(), historyFile(io), colour(terminal, io));
        }
    }

    /** Per user, private: commands typed at 3 a.m. are nobody else's business. */
    private static Path historyFile(Io io) throws IOException {
        String stateHome = io.env().getOrDefault("XDG_STATE_HOME", "");
        String home = io.env().getOrDefault("HOME", System.getProperty("user.home"));
        Path dir = stateHome.isEmpty() ? Path.of(home, ".local", "state", "agent") : Path.of(stateHome, "agent");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return dir.resolve("history");
    }

    private static boolean colour(Terminal terminal, Io io) {
        if (io.env().containsKey("NO_COLOR")) return false;
        if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) return false;
        Integer colours = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
        return colours != null && colours >= 8;
    }
}
