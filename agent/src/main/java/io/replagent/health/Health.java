package io.replagent.health;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one health model: findings with a verdict, a cause and a fix, computed by pure rules from what the caller
 * gathered (the status snapshot, the plan, target probes, free space, whether the agent answered). {@code agent status},
 * {@code agent doctor}, the console and the control socket all read it from here; each part is independent, a caller
 * concatenates the parts it has.
 */
public final class Health {

    private Health() {}

    /** What plan found, in health's terms (the composition root translates converge's plan). */
    public record Plan(String stateFile, List<Problem> problems, List<Drift> drifts) {
        /** A diagnostic of the state file: FILE:LINE:COL: message. */
        public record Problem(boolean error, String text) {}

        /** A resource that differs from the state: what differs, whether it is blocked and what unblocks it. */
        public record Drift(String resource, String change, boolean blocked, String unblock) {}
    }

    /** A target probed as a push would reach it: empty error when it answered and authenticated. */
    public record Probe(String target, String error) {}

    /** Free space where the agent writes: {@code what} names it (state directory, target W/T, module M). */
    public record Space(String what, String dir, long usable, String error) {}

    /**
     * A backup host's ssh account as sshd would serve it: whether an sshd runs here, and what its forced command did
     * when run as sshd runs it for a key (rsync through it, a shell through it): empty when as it should be.
     */
    public record SshAccount(String user, boolean sshd, String rsyncError, String shellError) {}

    /** No agent answered on {@code socket}; {@code needed}: the state has watches, so one should. */
    public record Unreachable(String socket, String why, boolean needed) {}

    /** The running agent's snapshot: the status JSON (with its "agent" block when served by the agent) and limits. */
    public static List<Finding> status(JsonNode status, JsonNode limits) {
        return StatusRules.of(status, limits);
    }

    /**
     * What SIGHUP does in the running agent, as its status says ({@code handled}, {@code ignored}, {@code reserved}):
     * the finding when it does not reload, the one status and doctor show.
     */
    public static Optional<Finding> sighup(String sighup) {
        return Rule.evaluate(StatusRules.SIGHUP, sighup, null).stream().findFirst();
    }

    public static List<Finding> plan(Plan plan) {
        List<Finding> found = new ArrayList<>();
        for (Plan.Problem p : plan.problems()) found.addAll(Rule.evaluate(HostRules.PROBLEM, new HostRules.Problem(plan, p), "state"));
        for (Plan.Drift d : plan.drifts()) found.addAll(Rule.evaluate(HostRules.DRIFT, new HostRules.Drift(plan, d), d.resource()));
        if (found.stream().noneMatch(f -> f.rule().equals("state.error")) && plan.drifts().isEmpty()) {
            found.add(Finding.ok("host.ok", "host", "matches the state (plan is empty)"));
        }
        return found;
    }

    public static List<Finding> sshAccounts(List<SshAccount> accounts) {
        List<Finding> found = new ArrayList<>();
        for (SshAccount a : accounts) found.addAll(Rule.evaluate(HostRules.SSH_ACCOUNT, a, "ssh account " + a.user()));
        return found;
    }

    public static List<Finding> probes(List<Probe> probes) {
        List<Finding> found = new ArrayList<>();
        for (Probe p : probes) found.addAll(Rule.evaluate(HostRules.PROBE, p, "target " + p.target()));
        return found;
    }

    /** Targets that could not be probed at all (their password cannot be resolved, say). */
    public static Finding probesFailed(String why) {
        return new Finding("target.unprobed", "targets", Verdict.FAIL, "cannot probe the targets: " + why,
                "fix the cause; 'agent plan STATE' shows the state's problems");
    }

    public static List<Finding> space(List<Space> spaces) {
        List<Finding> found = new ArrayList<>();
        for (Space s : spaces) found.addAll(Rule.evaluate(HostRules.SPACE, s, "disk " + s.dir()));
        return found;
    }

    public static Finding unreachable(Unreachable u) {
        return Rule.evaluate(HostRules.UNREACHABLE, u, null).get(0);
    }

    public static Verdict worst(List<Finding> findings) {
        return Verdict.worst(findings.stream().map(Finding::verdict).toList());
    }

    /** The worst verdict of findings as JSON ({@link #json}); OK for anything that is not a list of findings. */
    public static Verdict worst(JsonNode findings) {
        List<Verdict> verdicts = new ArrayList<>();
        for (JsonNode f : findings) verdicts.add(Verdict.of(f.path("verdict").asString("")));
        return Verdict.worst(verdicts);
    }

    /** As the control socket and {@code agent doctor --json} show them: [{rule, check, verdict, cause, fix}]. */
    public static ArrayNode json(List<Finding> findings) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (Finding f : findings) {
            ObjectNode o = list.addObject();
            o.put("rule", f.rule());
            o.put("check", f.check());
            o.put("verdict", f.verdict().label());
            o.put("cause", f.cause());
            o.put("fix", f.fix());
        }
        return list;
    }
}
