package io.replagent.cli;

import io.replagent.state.Diagnostic;
import io.replagent.state.InvalidStateException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code agent validate FILE|- ... [--json]}: the schema and semantic checks, every problem at once.
 * Human output: diagnostics on stderr, one summary line per file on stdout. {@code --json}: one object shaped
 * like {@code terraform validate -json} on stdout.
 */
final class ValidateCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        CommandSpec spec = Specs.command("check state files: the schema and semantic checks, every problem at once as "
                        + "FILE:LINE:COL: message (stderr), one summary line per file (stdout); changes nothing",
                "0:every file is valid (warnings allowed)", "1:a file is invalid or cannot be read", ExitCode.USAGE_HELP);
        spec.addPositional(Specs.positional("FILE|-", "1..*", String.class, "state files; - reads one from stdin"));
        spec.addOption(Specs.flag("--json", "one JSON object on stdout, shaped like terraform validate -json"));
        return spec;
    }

    @Override public int run(Args args, Io io) {
        List<String> files = args.positional(0);
        boolean json = args.flag("--json");
        if (files.stream().filter("-"::equals).count() > 1) throw args.usageError("stdin (-) can be read only once");
        List<Diagnostic> all = new ArrayList<>();
        int invalid = 0;
        for (String file : files) {
            List<Diagnostic> found = check(file, io);
            all.addAll(found);
            long errors = count(found, Diagnostic.Severity.ERROR);
            if (errors > 0) invalid++;
            if (!json) {
                found.forEach(io.err()::println);
                io.out().println(file + ": " + (errors > 0 ? plural(errors, "error") : "valid")
                        + warnings(count(found, Diagnostic.Severity.WARNING), errors > 0));
            }
        }
        if (json) io.out().println(TerraformJson.of(all).toPrettyString());
        return invalid == 0 ? ExitCode.OK : ExitCode.ERROR;
    }

    private static List<Diagnostic> check(String file, Io io) {
        try {
            return StateArgument.load(file, io).warnings();
        } catch (InvalidStateException e) {
            return e.diagnostics();
        }
    }

    private static long count(List<Diagnostic> diagnostics, Diagnostic.Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }

    private static String warnings(long n, boolean afterErrors) {
        if (n == 0) return "";
        return afterErrors ? ", " + plural(n, "warning") : " (" + plural(n, "warning") + ")";
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The {@code terraform validate -json} shape, so tools that read it read ours. */
    static final class TerraformJson {
        private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

        private TerraformJson() {}

        static ObjectNode of(List<Diagnostic> diagnostics) {
            ObjectNode root = JSON.objectNode();
            long errors = count(diagnostics, Diagnostic.Severity.ERROR);
            root.put("format_version", "1.0");
            root.put("valid", errors == 0);
            root.put("error_count", errors);
            root.put("warning_count", count(diagnostics, Diagnostic.Severity.WARNING));
            var list = root.putArray("diagnostics");
            for (Diagnostic d : diagnostics) {
                ObjectNode item = list.addObject();
                item.put("severity", d.severity() == Diagnostic.Severity.ERROR ? "error" : "warning");
                item.put("summary", d.summary());
                item.put("detail", d.detail() == null ? "" : d.detail());
                ObjectNode range = item.putObject("range");
                range.put("filename", d.file());
                if (d.line() > 0) {
                    range.putObject("start").put("line", d.line()).put("column", d.column());
                    range.putObject("end").put("line", d.endLine()).put("column", d.endColumn());
                }
            }
            return root;
        }
    }
}
