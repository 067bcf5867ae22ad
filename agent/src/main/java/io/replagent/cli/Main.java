package io.replagent.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Entry point: dispatches to a subcommand. */
public final class Main {

    private static final Map<String, Supplier<Command>> COMMANDS = new LinkedHashMap<>();
    static {
        COMMANDS.put("version", VersionCommand::new);
        COMMANDS.put("validate", ValidateCommand::new);
        COMMANDS.put("schema", SchemaCommand::new);
        COMMANDS.put("plan", PlanCommand::new);
        COMMANDS.put("apply", ApplyCommand::new);
        COMMANDS.put("status", StatusCommand::new);
        COMMANDS.put("console", ConsoleCommand::new);
        COMMANDS.put("audit", AuditCommand::new);
    }

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), Io.system()));
    }

    /** Runs one command line in-process; the exit code is returned, never passed to System.exit. */
    static int run(List<String> args, Io io) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            usage(io);
            return args.isEmpty() ? ExitCode.USAGE : ExitCode.OK;
        }
        Supplier<Command> command = COMMANDS.get(args.get(0));
        if (command == null) {
            io.err().println("agent: unknown command '" + args.get(0) + "'");
            usage(io);
            return ExitCode.USAGE;
        }
        try {
            return command.get().run(args.subList(1, args.size()), io);
        } catch (UsageException e) {
            io.err().println("agent " + args.get(0) + ": " + e.getMessage());
            return ExitCode.USAGE;
        } catch (Exception e) {
            io.err().println("agent " + args.get(0) + ": " + e.getMessage());
            return ExitCode.ERROR;
        }
    }

    private static void usage(Io io) {
        io.err().println("usage: agent COMMAND [ARGS]\n\ncommands:");
        COMMANDS.forEach((name, command) -> io.err().printf("  %-10s %s%n", name, command.get().summary()));
    }
}
