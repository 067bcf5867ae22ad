package io.replagent.cli;

import io.replagent.console.Console;
import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import io.replagent.health.Finding;
import io.replagent.health.Health;
import io.replagent.health.Verdict;
import io.replagent.replicate.Replication;
import io.replagent.state.Diagnostic;
import io.replagent.state.State;
import io.replagent.state.StateFile;
import io.replagent.system.Host;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code agent doctor [STATE | --socket PATH] [--json]}: every health check with a verdict and a fix, for people,
 * monitoring checks and Ansible. The running agent's own doctor when one answers; otherwise that is itself a finding,
 * and what needs no agent (plan, the rsync binary, targets reachable, free space) runs here.
 */
final class DoctorCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        CommandSpec spec = Specs.command("every health check with a verdict and the fix: the running agent's view when "
                        + "one answers; otherwise the checks that need no agent (plan, targets reachable, free space) run here",
                "0:every check is ok", "1:a check failed (no agent answers where one should, an invalid state, a target "
                        + "unreachable, a paused target, a disk full)", "3:warnings only", ExitCode.USAGE_HELP);
        spec.addArgGroup(ArgGroupSpec.builder().exclusive(true).multiplicity("0..1")
                .addArg(Specs.positional("STATE", "1", String.class, "the state file: its control socket, and the "
                        + "checks to run here when no agent answers"))
                .addArg(AgentAddress.socketOption()).build());
        spec.addOption(StateFileOptions.root("the --root the state is applied with"));
        spec.addOption(Specs.flag("--json", "{\"verdict\": ..., \"findings\": [{rule, check, verdict, cause, fix}]}"));
        return spec;
    }

    @Override public int run(Args args, Io io) {
        String stateFile = args.positional(0);
        JsonNode findings = stateFile != null ? fromState(stateFile, args.value("--root"), io) : fromAgent(socket(args, io));
        Verdict verdict = Health.worst(findings);
        if (args.flag("--json")) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("verdict", verdict.label());
            out.set("findings", findings);
            io.out().println(out.toPrettyString());
        } else {
            Console.findingLines(findings, false).forEach(io.out()::println);
            io.out().println(summary(findings));
        }
        return switch (verdict) {
            case OK -> ExitCode.OK;
            case WARN -> ExitCode.DEGRADED;
            case FAIL -> ExitCode.ERROR;
        };
    }

    private static Path socket(Args args, Io io) {
        Path socket = args.value("--socket");
        return socket != null ? socket : AgentAddress.fromEnvironment(io);
    }

    /** Only a socket: the agent's answer, or that nobody answers. */
    private static JsonNode fromAgent(Path socket) {
        try {
            return ask(socket);
        } catch (ControlException e) {
            return Health.json(List.of(Health.unreachable(new Health.Unreachable(socket.toString(), e.getMessage(), true))));
        }
    }

    private static JsonNode fromState(String file, Path root, Io io) {
        StateFileOptions options = new StateFileOptions(file, root);
        List<Diagnostic> problems = new ArrayList<>();
        Optional<StateFile.Loaded> loaded = options.load(io, problems::addAll);
        if (loaded.isEmpty()) {
            return Health.json(Health.plan(new Health.Plan(file, problems.stream()
                    .map(d -> new Health.Plan.Problem(d.severity() == Diagnostic.Severity.ERROR, d.toString())).toList(), List.of())));
        }
        State state = loaded.get().state();
        Path socket = state.settings().controlSocket();
        try {
            return ask(socket);
        } catch (ControlException e) {
            List<Finding> findings = new ArrayList<>();
            findings.add(Health.unreachable(new Health.Unreachable(socket.toString(), e.getMessage(), !state.watches().isEmpty())));
            findings.addAll(HealthChecks.host(state, file, Host.local(io.env())));
            findings.addAll(probes(state, io));
            return Health.json(findings);
        }
    }

    private static JsonNode ask(Path socket) throws ControlException {
        try (ControlClient client = ControlClient.connect(socket)) {
            return client.call("doctor", null);
        }
    }

    /** Each target probed from here, with this process's environment for the passwords. */
    private static List<Finding> probes(State state, Io io) {
        if (state.watches().isEmpty()) return List.of();
        try {
            Replication replication = Replication.create(state, io.env(), new PrintStream(PrintStream.nullOutputStream()));
            return HealthChecks.probes(replication.probeTargets());
        } catch (IOException e) {
            return List.of(Health.probesFailed(e.getMessage()));
        }
    }

    private static String summary(JsonNode findings) {
        int fail = 0;
        int warn = 0;
        for (JsonNode f : findings) {
            switch (Verdict.of(f.path("verdict").asString(""))) {
                case FAIL -> fail++;
                case WARN -> warn++;
                default -> { }
            }
        }
        if (fail + warn == 0) return "doctor: all " + findings.size() + " checks ok";
        return "doctor: " + fail + " failed, " + warn + " warning(s), " + (findings.size() - fail - warn) + " ok";
    }
}
