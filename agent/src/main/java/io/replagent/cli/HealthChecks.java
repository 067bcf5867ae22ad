package io.replagent.cli;

import io.replagent.converge.Action;
import io.replagent.converge.Change;
import io.replagent.converge.Converger;
import io.replagent.converge.Plan;
import io.replagent.health.Finding;
import io.replagent.health.Health;
import io.replagent.state.Diagnostic;
import io.replagent.state.Server;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Host;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers what the health rules judge from this host: the plan, target probes, free space, its ssh accounts. Used by the running agent's
 * doctor operation and by {@code agent doctor} when no agent answers; the rules themselves are in {@link Health}.
 */
final class HealthChecks {

    private HealthChecks() {}

    /** Plan, free space and the ssh accounts it serves: what this host shows without a running agent or a target. */
    static List<Finding> host(State state, String stateFile, Host host) {
        List<Finding> found = new ArrayList<>(Health.plan(plan(state, stateFile, host)));
        found.addAll(Health.space(space(state)));
        found.addAll(Health.sshAccounts(new SshAccountChecks(host.processes(), host.users(), host.env()).check(state)));
        return found;
    }

    /** Probe results ("watch/target" → rsync's error, empty when it answered) judged. */
    static List<Finding> probes(Map<String, Optional<String>> probes) {
        return Health.probes(probes.entrySet().stream().map(p -> new Health.Probe(p.getKey(), p.getValue().orElse(""))).toList());
    }

    /** What plan finds, phrased for the rules; secrets stay "(sensitive)". */
    static Health.Plan plan(State state, String stateFile, Host host) {
        Plan plan = Converger.of(state, host).plan();
        List<Health.Plan.Problem> problems = plan.diagnostics().stream()
                .map(d -> new Health.Plan.Problem(d.severity() == Diagnostic.Severity.ERROR, d.toString())).toList();
        List<Health.Plan.Drift> drifts = new ArrayList<>();
        for (Change c : plan.changes()) {
            String shown = c.sensitive() ? "(sensitive)" : (c.before() == null ? "absent" : c.before()) + " -> " + c.after();
            drifts.add(new Health.Plan.Drift(c.resource(), c.attribute() + ": " + c.reason().text + ", " + shown,
                    c.action() == Action.BLOCKED, String.join("; ", c.detail())));
        }
        return new Health.Plan(stateFile, problems, drifts);
    }

    /** Free space where this host writes: the state directory, local targets, the modules it serves. */
    static List<Health.Space> space(State state) {
        List<Health.Space> spaces = new ArrayList<>();
        if (state.settings() != null && state.settings().stateDir() != null) {
            spaces.add(space("state directory", state.settings().stateDir()));
        }
        for (Watch w : state.watches()) {
            for (Target t : w.targets()) {
                if (t.endpoint() instanceof Target.Local local) spaces.add(space("target " + w.name() + "/" + t.name(), local.path()));
            }
        }
        for (Server.Module m : state.server().map(Server::modules).orElse(List.of())) spaces.add(space("module " + m.name(), m.path()));
        return spaces;
    }

    private static Health.Space space(String what, Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        try {
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            return new Health.Space(what, dir.toString(), store.getUsableSpace(), "");
        } catch (IOException e) {
            return new Health.Space(what, dir.toString(), 0, String.valueOf(e.getMessage()));
        }
    }
}
