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
        else renderer.text(plan, io.out(), io.err());
        if (plan.hasErrors()) return ExitCode.ERROR;
        return args.flag("--detailed-exitcode") && plan.hasChanges() ? ExitCode.CHANGES : ExitCode.OK;
    }
}
