package io.replagent.cli;

import io.replagent.history.Restore;
import io.replagent.history.RestorePlanner;
import io.replagent.history.Times;
import io.replagent.tree.RawNames;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code agent restore FILE WATCH [PATH...] [--as-of TIME] [--to DIR | --in-place] [--auto-approve] [--target NAME]}:
 * the tree (or the paths) as it was at TIME, pulled from the target into a new directory beside the source.
 */
final class RestoreCommand implements AgentCommand {

    /** Restores of more files than this show their progress. */
    private static final long LARGE = 2000;

    @Override public CommandSpec spec() {
        CommandSpec spec = HistoryTarget.addTo(Specs.command("pull the tree, or the given paths, as it was at TIME from "
                        + "the target: for each path the version current then (the mirror's copy if nothing replaced it since, "
                        + "else the copy the first batch after TIME kept); paths that did not exist at TIME are not restored. "
                        + "Into a new directory beside the source unless --to or --in-place says otherwise",
                "0:restored (every path that existed at TIME)", "1:error, or some versions are no longer kept (listed)",
                ExitCode.USAGE_HELP));
        spec.addPositional(PositionalParamSpec.builder().index("2..*").paramLabel("PATH").arity("0..*").type(List.class)
                .auxiliaryTypes(String.class).required(false).description("paths to restore (each with everything below "
                        + "it), relative to the source or absolute under it; default: the whole tree").build());
        spec.addOption(Specs.option("--as-of", "TIME", String.class, "RFC 3339 (2026-12-01T08:15:02Z) or relative to now "
                + "(-2h, '2h ago', -30m, -1d); default: the newest state"));
        spec.addOption(Specs.option("--to", "DIR", Path.class, "where to restore (must not exist, or be empty); default: "
                + "SOURCE.restored-TIME beside the source"));
        spec.addOption(Specs.flag("--in-place", "restore into the live source, over what is there (asks first, or "
                + "--auto-approve); paths created after TIME are left alone"));
        spec.addOption(Specs.flag("--auto-approve", "with --in-place: do not ask"));
        return spec;
    }

    @Override public int run(Args args, Io io) throws Exception {
        Instant now = Instant.now();
        Instant asOf;
        try {
            String given = args.value("--as-of");
            asOf = given == null ? null : Times.parse(given, now);
        } catch (IllegalArgumentException e) {
            throw args.usageError("--as-of: " + e.getMessage());
        }
        boolean inPlace = args.flag("--in-place");
        Path toOption = args.value("--to");
        if (inPlace && toOption != null) throw args.usageError("give --to or --in-place, not both");
        if (args.flag("--auto-approve") && !inPlace) throw args.usageError("--auto-approve confirms --in-place only");
        Optional<HistoryTarget> t = HistoryTarget.of(args, io, "agent restore");
        if (t.isEmpty()) return ExitCode.ERROR;
        List<String> given = args.positional(2);
        List<String> selection = new ArrayList<>();
        if (given != null) for (String p : given) selection.add(t.get().relative(p, args));
        Path source = t.get().watch().source();
        Path to = inPlace ? source : toOption != null ? toOption.toAbsolutePath() : Restore.besideSource(source, asOf, now);
        if (!inPlace && !emptyOrMissing(to)) {
            io.err().println("agent restore: " + to + " exists and is not empty: a restore never writes over files; give "
                    + "another --to");
            return ExitCode.ERROR;
        }
        String when = asOf == null ? "the newest state" : Times.format(asOf);
        if (inPlace && !args.flag("--auto-approve")
                && !ApplyCommand.approved(io, "write " + when + " over the live source " + source, "restore --in-place",
                "Restore cancelled")) {
            return ExitCode.ERROR;
        }
        io.err().println("restoring " + (selection.isEmpty() ? "the tree" : selection.size() + " path(s)") + " of watch "
                + t.get().watch().name() + " as of " + when + " from target " + t.get().target().name() + " into " + to);
        Restore.Summary s = Restore.run(t.get().store(), t.get().spool().segments(), asOf, selection, to, (files, bytes) -> {
            if (files >= LARGE) io.err().printf(Locale.ROOT, "  %d files, %s%n", files, mib(bytes));
        });
        for (RestorePlanner.Unavailable u : s.unavailable()) {
            io.err().println("  not restored: " + RawNames.display(u.path()) + ": its version of " + u.batch()
                    + " is no longer kept (pruned, or the history was deleted)");
        }
        if (s.journalLinesSkipped() > 0) {
            io.err().println("  warning: " + s.journalLinesSkipped() + " unreadable journal line(s) skipped");
        }
        io.out().printf(Locale.ROOT, "restored %d files (%s) as of %s into %s in %.1f s%s%n", s.files(), mib(s.bytes()), when,
                to, s.took().toMillis() / 1000.0, s.unavailable().isEmpty() ? "" : "; " + s.unavailable().size() + " not restored");
        return s.unavailable().isEmpty() ? ExitCode.OK : ExitCode.ERROR;
    }

    private static boolean emptyOrMissing(Path dir) throws IOException {
        if (!Files.exists(dir)) return true;
        if (!Files.isDirectory(dir)) return false;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
