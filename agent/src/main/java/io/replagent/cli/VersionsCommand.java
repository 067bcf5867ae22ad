package io.replagent.cli;

import io.replagent.history.Journal;
import io.replagent.history.Times;
import io.replagent.history.Versions;
import io.replagent.tree.RawNames;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code agent versions FILE WATCH PATH [--target NAME] [--json]}: the kept versions of a path, newest first. */
final class VersionsCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        CommandSpec spec = HistoryTarget.addTo(Specs.command("list the versions of a path the target's history keeps "
                        + "(time it was replaced or deleted, in UTC; size; kind), newest first; a directory lists every path "
                        + "below it", "0:success (also when no version is kept)", "1:error (invalid state, unknown watch or "
                        + "target, the target cannot be read)", ExitCode.USAGE_HELP));
        spec.addPositional(Specs.positional("PATH", "1", String.class, "the path, relative to the source or absolute under it"));
        spec.addOption(Specs.flag("--json", "machine-readable: {watch, target, path, versions: [{time, size, kind, path}]}"));
        return spec;
    }

    @Override public int run(Args args, Io io) {
        Optional<HistoryTarget> t = HistoryTarget.of(args, io, "agent versions");
        if (t.isEmpty()) return ExitCode.ERROR;
        String path = t.get().relative(args.positional(2), args);
        List<Versions.Version> versions;
        try {
            versions = Versions.of(path, t.get().store().history(),
                    Journal.read(t.get().store().journal(), t.get().spool().segments()).entries());
        } catch (IOException e) {
            io.err().println("agent versions: " + e.getMessage());
            return ExitCode.ERROR;
        }
        if (args.flag("--json")) {
            ObjectNode out = JsonMapper.builder().build().createObjectNode();
            out.put("watch", t.get().watch().name());
            out.put("target", t.get().target().name());
            out.put("path", RawNames.display(path));
            ArrayNode list = out.putArray("versions");
            for (Versions.Version v : versions) json(list.addObject(), v);
            io.out().println(out.toPrettyString());
        } else if (versions.isEmpty()) {
            io.out().println("no versions of " + RawNames.display(path) + " kept on target " + t.get().target().name());
        } else {
            io.out().printf("%-24s  %12s  %-8s  %s%n", "TIME (UTC)", "SIZE", "KIND", "PATH");
            for (Versions.Version v : versions) {
                io.out().printf(Locale.ROOT, "%-24s  %12s  %-8s  %s%n", Times.format(v.time()),
                        v.size() < 0 ? "-" : Long.toString(v.size()), kind(v), RawNames.display(v.path())
                                + (v.movedTo() == null ? "" : " -> " + RawNames.display(v.movedTo())));
            }
        }
        return ExitCode.OK;
    }

    /** One version as the JSON of {@code versions --json} and of the control socket's {@code versions} has it. */
    static void json(ObjectNode o, Versions.Version v) {
        o.put("time", Times.format(v.time())).put("size", v.size()).put("kind", kind(v)).put("path", RawNames.display(v.path()));
        if (v.movedTo() != null) o.put("moved_to", RawNames.display(v.movedTo()));
    }

    /** replaced, deleted or moved; "kept" when the journal line of the batch was lost (an agent killed mid-batch). */
    static String kind(Versions.Version v) {
        return v.kind() == null ? "kept" : v.kind().name().toLowerCase(Locale.ROOT);
    }
}
