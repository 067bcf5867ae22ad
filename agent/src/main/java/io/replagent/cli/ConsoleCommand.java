package io.replagent.cli;

import io.replagent.console.Console;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** {@code agent console}: the interactive diagnostics shell on a running agent. */
final class ConsoleCommand implements Command {

    @Override public String summary() { return "interactive console on the running agent " + ControlSocketArgument.USAGE; }

    @Override public int run(List<String> arguments, Io io) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        Path socket = ControlSocketArgument.take(args, io);
        if (!args.isEmpty()) throw new UsageException("unknown argument " + args.get(0));
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("agent").build()) {
            return Console.run(terminal, socket, historyFile(io), colour(terminal, io));
        }
    }

    /** Per user, private: commands typed at 3 a.m. are nobody else's business. */
    private static Path historyFile(Io io) throws java.io.IOException {
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
