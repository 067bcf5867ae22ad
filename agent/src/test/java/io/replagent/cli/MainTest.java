package io.replagent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The picocli command line of every command: help, options, stdin, --, and every kind of usage error (exit 64). */
class MainTest {

    static CliFixture.Run run(String... args) {
        return CliFixture.run(List.of(args), "", false);
    }

    static Stream<String> commands() {
        return Main.COMMANDS.keySet().stream();
    }

    @Test
    void noCommandIsTheUsageOnStderrAndExit64() {
        CliFixture.Run r = run();
        assertEquals(ExitCode.USAGE, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Usage: agent [-hV] COMMAND\n"), r.err());
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        CliFixture.Run r = run("--help");
        assertEquals(ExitCode.OK, r.exit());
        assertEquals("", r.err());
        for (String name : Main.COMMANDS.keySet()) assertTrue(r.out().contains("\n  " + name + " "), name + " in " + r.out());
        assertTrue(r.out().contains("\n  help "), r.out());
        assertTrue(r.out().contains("Exit codes (as Terraform's):\n  0    success"), r.out());
        assertTrue(r.out().contains("\n  64   command-line usage error\n"), r.out());
        assertEquals(r, run("-h"));
        assertEquals("agent dev\n", run("--version").out());
        assertEquals("agent dev\n", run("version").out());
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandHasHelpWithItsExitCodesAlsoThroughHelpCommand(String name) {
        CliFixture.Run help = run(name, "--help");
        assertEquals(ExitCode.OK, help.exit(), help.err());
        assertTrue(help.out().startsWith("Usage: agent " + name + " [-h]"), help.out());
        assertTrue(help.out().contains("  -h, --help"), help.out());
        assertTrue(help.out().contains("\nExit codes:\n  0    "), help.out());
        assertTrue(help.out().contains("\n  64   command-line usage error\n"), help.out());
        // `agent help NAME` builds the whole tree, `agent NAME --help` only NAME's: the same text either way
        assertEquals(help, run("help", name));
        assertEquals(help, run(name, "-h"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void anUnknownOptionNamesTheCommandShowsItsUsageAndExits64(String name) {
        CliFixture.Run r = run(name, "--bogus");
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("", r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals("agent " + name + ": Unknown option: '--bogus'", lines.get(0));
        assertTrue(lines.get(1).startsWith("Usage: agent " + name + " [-h]"), r.err());
        assertEquals("Try 'agent " + name + " --help' for more information.", lines.get(lines.size() - 1));
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(List.of("validate"), "agent validate: Missing required parameter: 'FILE|-'"),
                Arguments.of(List.of("validate", "-", "-"), "agent validate: stdin (-) can be read only once"),
                Arguments.of(List.of("plan"), "agent plan: Missing required parameter: 'FILE|-'"),
                Arguments.of(List.of("plan", "x.yaml", "--root"), "agent plan: Missing required parameter for option '--root' (DIR)"),
                Arguments.of(List.of("plan", "a.yaml", "b.yaml"), "agent plan: unexpected argument 'b.yaml'"),
                Arguments.of(List.of("apply"), "agent apply: Missing required parameter: 'FILE|-'"),
                Arguments.of(List.of("apply", "x.yaml", "--lock-timeout", "soon"),
                        "agent apply: Invalid value for option '--lock-timeout': takes whole seconds, got 'soon'"),
                Arguments.of(List.of("apply", "x.yaml", "--lock-timeout=-1"),
                        "agent apply: Invalid value for option '--lock-timeout': takes whole seconds, got '-1'"),
                Arguments.of(List.of("status", "--socket", "/s", "--state", "x.yaml"),
                        "agent status: give only one of --socket=PATH | [--state=FILE [--root=DIR]]"),
                Arguments.of(List.of("status", "--state", "x.yaml", "--socket", "/s"),
                        "agent status: give only one of --socket=PATH | [--state=FILE [--root=DIR]]"),
                Arguments.of(List.of("status", "--root", "/r"), "agent status: Missing required argument(s): --state=FILE"),
                Arguments.of(List.of("status", "--socket"), "agent status: Missing required parameter for option '--socket' (PATH)"),
                Arguments.of(List.of("console", "extra"), "agent console: unexpected argument 'extra'"),
                Arguments.of(List.of("doctor", "x.yaml", "--socket", "/s"), "agent doctor: give only one of STATE | --socket=PATH"),
                Arguments.of(List.of("completion"), "agent completion: Missing required parameter: 'SHELL'"),
                Arguments.of(List.of("completion", "zsh"), "agent completion: Invalid value for positional parameter at index 0 "
                        + "(SHELL): expected one of [bash] (case-sensitive) but was 'zsh'"),
                Arguments.of(List.of("schema", "extra"), "agent schema: unexpected argument 'extra'"),
                Arguments.of(List.of("version", "extra"), "agent version: unexpected argument 'extra'"),
                Arguments.of(List.of("frobnicate"), "agent: unknown command 'frobnicate'"),
                Arguments.of(List.of("help", "frobnicate"), "agent: Unknown subcommand 'frobnicate'."));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsExit64WithTheCommandAndWhatIsWrong(List<String> args, String firstLine) {
        CliFixture.Run r = CliFixture.run(args, "", false);
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals(firstLine, r.err().lines().findFirst().orElse(""), r.err());
        assertTrue(r.err().contains("\nUsage: agent"), r.err());
    }

    @Test
    void anUnknownCommandSuggestsTheNearestOnes() {
        CliFixture.Run r = run("stauts");
        assertEquals(ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("Did you mean: agent status"), r.err());
    }

    @Test
    void optionValuesAttachedOrSeparateAndADashForStdin(@TempDir Path root) {
        String state = "version: 1\nwatches: [{ name: w, source: /w, targets: [{ url: /t }] }]\n";
        CliFixture.Run separate = CliFixture.run(List.of("plan", "-", "--root", root.toString()), state, false);
        CliFixture.Run attached = CliFixture.run(List.of("plan", "--root=" + root, "-"), state, false);
        assertEquals(ExitCode.OK, separate.exit(), separate.err());
        assertEquals(separate.exit(), attached.exit());
        assertTrue(separate.out().contains(root.resolve("t").toString()) || separate.out().contains("No changes"), separate.out());
        assertEquals(new CliFixture.Run(0, "-: valid\n", ""), CliFixture.run(List.of("validate", "-"), state, false));
    }

    @Test
    void doubleDashEndsTheOptionsForAFileNamedLikeOne() throws Exception {
        Path file = Path.of("--json"); // relative to the working directory: the only way a path starts with a dash
        try {
            Files.writeString(file, "version: 1\n");
            assertEquals(new CliFixture.Run(0, "--json: valid\n", ""), run("validate", "--", "--json"));
            CliFixture.Run withoutDashes = run("validate", "--json");
            assertEquals(ExitCode.USAGE, withoutDashes.exit(), "--json alone is the option, and then no file is given");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aFailingCommandIsExitOneWithTheCommandNamed(@TempDir Path dir) {
        CliFixture.Run r = run("apply", dir.resolve("missing.yaml").toString());
        assertEquals(ExitCode.ERROR, r.exit());
        assertEquals(dir.resolve("missing.yaml") + ": cannot read: no such file\n", r.err());
    }
}
