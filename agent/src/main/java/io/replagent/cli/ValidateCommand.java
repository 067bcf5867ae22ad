package io.replagent.cli;

import io.replagent.state.Diagnostic;
import io.replagent.state.InvalidStateException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code agent validate FILE|- ... [--json]}: the schema and semantic checks, every problem at once.
 * Human output: diagnostics on stderr, one summary line per file on stdout. {@code --json}: one object shaped
 * like {@code terraform validate -json} on stdout.
 */
final class ValidateCommand implements Command {

    @Override public String summary() { return "check state files (FILE... or - for stdin) [--json]"; }

    @Override public int run(List<String> args, Io io) throws UsageException {
        boolean json = false;
        List<String> files = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--json")) json = true;
            else if (arg.startsWith("-") && !arg.equals("-")) throw new UsageException("unknown option " + arg);
            else files.add(arg);
        }
        if (files.isEmpty()) throw new UsageException("usage: agent validate FILE|- ... [--json]");
        if (files.stream().filter("-"::equals).count() > 1) throw new UsageException("stdin (-) can be read only once");

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
