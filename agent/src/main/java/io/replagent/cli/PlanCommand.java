package io.replagent.cli;

import io.replagent.converge.Converger;
import io.replagent.converge.Plan;
import io.replagent.converge.PlanRenderer;
import io.replagent.state.Diagnostic;
import io.replagent.state.StateFile;
import io.replagent.system.Host;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agent plan FILE|- [--root DIR] [--json] [--detailed-exitcode]}: what apply would change; changes nothing. */
final class PlanCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        CommandSpec spec = StateFileOptions.addTo(Specs.command("show what apply would change on this host (+ create, "
                        + "~ update, - delete, ! blocked), secrets shown as (sensitive); changes nothing",
                "0:success; with --detailed-exitcode: no changes", "1:error (invalid state, a failed read)",
                "2:with --detailed-exitcode: changes are present", ExitCode.USAGE_HELP));
        spec.addOption(Specs.flag("--json", "machine-readable: one JSON object per line (version, diagnostics, planned "
                + "changes, summary)"));
        spec.addOption(Specs.flag("--detailed-exitcode", "exit 2 when there are changes, 0 when there are none"));
        return spec;
    }

    /** What keeps version history on this host's targets and modules, with the retention and who applies it. */
    static List<String> history(io.replagent.state.State state) {
        List<String> lines = new ArrayList<>();
        for (io.replagent.state.Watch w : state.watches()) {
            for (io.replagent.state.Target t : w.targets()) {
                if (t.history().isEmpty()) continue;
                boolean local = t.endpoint() instanceof io.replagent.state.Target.Local;
                lines.add("  history: watch " + w.name() + " target " + t.name() + " keeps what it replaces or deletes in "
                        + ".agent/history/; " + (local ? t.history().get().describe() + ", pruned by this agent"
                        : "pruned by the backup host's agent (server.modules[].history there; without it, never pruned)"));
            }
        }
        state.server().ifPresent(server -> server.modules().forEach(m -> m.history().ifPresent(r -> lines.add(
                "  history: module " + m.name() + " (" + m.path() + "): " + r.describe() + ", pruned by this agent"))));
        if (!lines.isEmpty()) lines.add(0, "\nVersion history:");
        return lines;
    }

    @Override public int run(Args args, Io io) {
        StateFileOptions state = StateFileOptions.of(args);
        boolean json = args.flag("--json");
        PlanRenderer renderer = new PlanRenderer(Clock.systemUTC(), VersionCommand.version());
        List<Diagnostic> fromStateFile = new ArrayList<>();
        Optional<StateFile.Loaded> loaded = json ? state.load(io, fromStateFile::addAll) : state.load(io);
        if (loaded.isEmpty()) {
            if (json) renderer.json(fromStateFile, io.out());
            return ExitCode.ERROR;
        }
        Plan plan = Converger.of(loaded.get().state(), Host.local(io.env())).plan();
        if (json) renderer.json(plan.withDiagnosticsBefore(fromStateFile), io.out());
        else {
            renderer.text(plan, io.out(), io.err());
            history(loaded.get().state()).forEach(io.out()::println);
        }
        if (plan.hasErrors()) return ExitCode.ERROR;
        return args.flag("--detailed-exitcode") && plan.hasChanges() ? ExitCode.CHANGES : ExitCode.OK;
    }
}
