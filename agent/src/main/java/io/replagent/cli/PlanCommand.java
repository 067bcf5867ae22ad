package io.replagent.cli;

import io.replagent.converge.Converger;
import io.replagent.converge.Plan;
import io.replagent.converge.PlanRenderer;
import io.replagent.state.Diagnostic;
import io.replagent.state.State;
import io.replagent.system.Host;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code agent plan FILE|- [--root DIR] [--json] [--detailed-exitcode]}: what apply would change; changes nothing. */
final class PlanCommand implements Command {

    @Override public String summary() { return "show what apply would change (FILE|- [--root DIR] [--json] [--detailed-exitcode])"; }

    @Override public int run(List<String> args, Io io) throws Exception {
        StateArgs a = StateArgs.parse(args, Set.of("--json", "--detailed-exitcode"), Set.of());
        PlanRenderer renderer = new PlanRenderer(Clock.systemUTC(), VersionCommand.version());
        List<Diagnostic> fromStateFile = new ArrayList<>();
        Optional<State> state = a.has("--json") ? a.load(io, fromStateFile::addAll) : a.load(io);
        if (state.isEmpty()) {
            if (a.has("--json")) renderer.json(fromStateFile, io.out());
            return ExitCode.ERROR;
        }
        Plan plan = Converger.of(state.get(), Host.local(io.env())).plan();
        if (a.has("--json")) renderer.json(plan.withDiagnosticsBefore(fromStateFile), io.out());
        else renderer.text(plan, io.out(), io.err());
        if (plan.hasErrors()) return ExitCode.ERROR;
        return a.has("--detailed-exitcode") && plan.hasChanges() ? ExitCode.CHANGES : ExitCode.OK;
    }
}
