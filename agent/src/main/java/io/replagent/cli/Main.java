package io.replagent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entry point: the command line, parsed by picocli.
 * <p>
 * Adding a command: a class like {@link PlanCommand} implementing {@link AgentCommand} — {@code spec()} describes it
 * ({@link Specs}: description, exit codes, options; shared ones from {@link StateFileOptions} and
 * {@link AgentAddress}), {@code run()} reads them from {@link Args} — and one line in {@link #COMMANDS}. Help,
 * usage errors (exit 64), completion, the man page and the README's table follow from the spec.
 */
public final class Main {

    /** Every command, in the order {@code agent --help} lists them. */
    static final Map<String, Supplier<AgentCommand>> COMMANDS = new LinkedHashMap<>();
    static {
        COMMANDS.put("validate", ValidateCommand::new);
        COMMANDS.put("plan", PlanCommand::new);
        COMMANDS.put("apply", ApplyCommand::new);
        COMMANDS.put("status", StatusCommand::new);
        COMMANDS.put("doctor", DoctorCommand::new);
        COMMANDS.put("console", ConsoleCommand::new);
        COMMANDS.put("audit", AuditCommand::new);
        COMMANDS.put("versions", VersionsCommand::new);
        COMMANDS.put("restore", RestoreCommand::new);
        COMMANDS.put("schema", SchemaCommand::new);
        COMMANDS.put("completion", CompletionCommand::new);
        COMMANDS.put("version", VersionCommand::new);
    }

    private static final String HELP = "show this help and exit";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), Io.system()));
    }

    /** Runs one command line in-process; the exit code is returned, never passed to System.exit. */
    static int run(List<String> args, Io io) {
        String first = args.isEmpty() ? "" : args.get(0);
        boolean alone = COMMANDS.containsKey(first) && !first.equals("completion");
        CommandLine cli = alone ? alone(first, io) : commandLine(io);
        try {
            return cli.execute((alone ? args.subList(1, args.size()) : args).toArray(String[]::new));
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    /** The whole command tree: what the help, completion, the man page and the README describe. */
    static CommandLine commandLine(Io io) {
        CommandLine cli = new CommandLine(root());
        Map<String, AgentCommand> commands = new LinkedHashMap<>();
        COMMANDS.forEach((name, make) -> {
            AgentCommand command = make.get();
            cli.addSubcommand(name, withHelpOption(command.spec()));
            commands.put(name, command);
        });
        CommandLine help = new CommandLine(new CommandLine.HelpCommand());
        help.getCommandSpec().usageMessage().description("show a command's help");
        cli.addSubcommand("help", help);
        cli.setExecutionStrategy(parsed -> {
            Integer helped = CommandLine.executeHelpRequest(parsed);
            if (helped != null) return helped;
            if (!parsed.hasSubcommand()) { // `agent` alone: the usage, on stderr, as a usage error
                cli.usage(cli.getErr());
                return ExitCode.USAGE;
            }
            return execute(commands.get(parsed.subcommand().commandSpec().name()), parsed.subcommand(), io);
        });
        return configured(cli, io);
    }

    /**
     * One command as a tree of its own, named "agent NAME": its help, usage line and errors read as in the whole tree.
     * Start-up matters (validate in a CI loop, status from a monitoring check), and picocli's model of one command
     * costs a fraction of the tree's; help, completion (which describes them all) and anything unknown get the tree.
     */
    private static CommandLine alone(String name, Io io) {
        AgentCommand command = COMMANDS.get(name).get();
        CommandLine cli = new CommandLine(withHelpOption(command.spec()).name("agent " + name));
        cli.setExecutionStrategy(parsed -> {
            Integer helped = CommandLine.executeHelpRequest(parsed);
            return helped != null ? helped : execute(command, parsed, io);
        });
        return configured(cli, io);
    }

    private static CommandSpec withHelpOption(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description(HELP).build());
        return spec;
    }

    private static CommandLine configured(CommandLine cli, Io io) {
        cli.setOut(writer(io.out()));
        cli.setErr(writer(io.err()));
        cli.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return ExitCode.ERROR;
        });
        return cli;
    }

    private static int execute(AgentCommand command, ParseResult parsed, Io io) {
        try {
            return command.run(new Args(parsed.commandSpec()), io);
        } catch (ParameterException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), e.getMessage(), e);
        }
    }

    /** {@code agent} itself: its description, -h and -V, the exit codes every command shares, the environment. */
    private static CommandSpec root() {
        CommandSpec spec = Specs.command("Declarative real-time replication: one state file describes the rsync daemon of "
                        + "a backup host and the directories a source host replicates to it; validate and plan it, apply "
                        + "converges the host and replicates every change.",
                ExitCode.OK_HELP + "; with --detailed-exitcode: no changes", ExitCode.ERROR_HELP,
                "2:with --detailed-exitcode: changes are present (plan) or were made (apply)",
                "3:status, doctor: the agent runs but is degraded (doctor: warnings only)", ExitCode.USAGE_HELP);
        spec.name("agent").version("agent " + VersionCommand.version());
        spec.usageMessage().synopsisSubcommandLabel("COMMAND").commandListHeading("%nCommands:%n")
                .exitCodeListHeading("%nExit codes (as Terraform's):%n")
                .footerHeading("%nEnvironment:%n")
                .footer("  AGENT_SOCKET    the control socket when neither --socket nor --state is given",
                        "                  (default /run/agent/agent.sock)",
                        "  NO_COLOR        the console prints no colours",
                        "  XDG_STATE_HOME  the console's history is $XDG_STATE_HOME/agent/history",
                        "                  (default ~/.local/state/agent/history)%n");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description(HELP).build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("print the version and exit").build());
        return spec;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /** A command line that cannot run as written: the command, what is wrong, its usage line; exit 64. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        Optional<String> unknown = e instanceof CommandLine.MissingParameterException ? unknownOption(command, args) : Optional.empty();
        err.println(name + ": " + unknown.orElseGet(() -> message(e, command)));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.print(command.getHelp().synopsisHeading() + command.getHelp().synopsis(0));
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }

    /**
     * picocli reports a missing parameter before an unknown option; the unknown option is the better clue
     * ({@code agent plan --jsno}: the typo, not the file).
     */
    private static Optional<String> unknownOption(CommandLine command, String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) break;
            if (arg.startsWith("-") && !arg.equals("-") && command.getCommandSpec().findOption(arg.split("=", 2)[0]) == null) {
                return Optional.of("Unknown option: '" + arg + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * picocli's message, except for a word that is not an option (an unknown command, one argument too many) and for
     * two choices of an exclusive group, which picocli words differently depending on their order.
     */
    private static String message(ParameterException e, CommandLine command) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            return (command.getCommandSpec().name().equals("agent") ? "unknown command '" : "unexpected argument '") + u.getUnmatched().get(0) + "'";
        }
        Matcher twice = Pattern.compile("^(?:Error: )?expected only one match but got \\[(.*?)\\]=\\{").matcher(e.getMessage());
        if (twice.find()) return "give only one of " + twice.group(1);
        Matcher exclusive = Pattern.compile("^(?:Error: )?(.*?)(?:,| and) (.*) are mutually exclusive").matcher(e.getMessage());
        if (exclusive.find()) return "give only one of " + exclusive.group(1) + " | " + exclusive.group(2);
        return e.getMessage().replaceFirst("^Error: ", "");
    }


}
