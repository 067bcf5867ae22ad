package io.replagent.cli;

import io.replagent.replicate.Replication;
import io.replagent.replicate.ReplicationStatus;
import io.replagent.state.StateFile;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.Optional;

/**
 * {@code agent audit FILE WATCH [--root DIR] [--repair] [--json]}: compares the watch's source with each target by
 * checksum (rsync --checksum --dry-run) and reports what is missing, differs or is extra there; {@code --repair}
 * sends it. Exit 0 in step (or repaired), 2 differences found, 1 error.
 */
final class AuditCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        CommandSpec spec = StateFileOptions.addTo(Specs.command("compare a watch's source with each of its targets by "
                        + "checksum (rsync --checksum --dry-run): what is missing, differs or is extra on the target; "
                        + "--repair sends it. Works beside a running agent or without one",
                "0:every target is in step with the source (or was repaired)", "1:error (invalid state, unknown watch, "
                        + "a target that could not be compared)", "2:differences found (without --repair)", ExitCode.USAGE_HELP));
        spec.addPositional(Specs.positional("WATCH", "1", String.class, "the watch to audit, by name"));
        spec.addOption(Specs.flag("--repair", "send what differs (deletes follow the watch's delete mode)"));
        spec.addOption(Specs.flag("--json", "the results as JSON, per target"));
        return spec;
    }

    @Override public int run(Args args, Io io) throws Exception {
        Optional<StateFile.Loaded> loaded = StateFileOptions.of(args).load(io);
        if (loaded.isEmpty()) return ExitCode.ERROR;
        boolean repair = args.flag("--repair");
        boolean json = args.flag("--json");
        Map<String, ReplicationStatus.AuditStatus> results;
        try {
            results = Replication.auditOnce(loaded.get().state(), io.env(), io.err(), args.positional(1), repair);
        } catch (IllegalArgumentException e) {
            throw args.usageError(e.getMessage());
        }
        if (json) io.out().println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(results));
        boolean differences = false;
        boolean failed = false;
        for (Map.Entry<String, ReplicationStatus.AuditStatus> e : results.entrySet()) {
            ReplicationStatus.AuditStatus a = e.getValue();
            failed |= a.error() != null;
            differences |= a.missing() + a.differs() + a.extra() > 0;
            if (json) continue;
            io.out().println(e.getKey() + ": " + (a.error() != null ? "audit failed: " + a.error()
                    : a.missing() + " missing, " + a.differs() + " differ, " + a.extra() + " extra on the target"
                    + (a.repaired() ? " (repaired)" : "")));
            a.first().forEach(p -> io.out().println("  " + p));
        }
        if (failed) return ExitCode.ERROR;
        return differences && !repair ? ExitCode.CHANGES : ExitCode.OK;
    }
}
