package io.replagent.health;

import java.util.List;
import java.util.Locale;

/**
 * The rules over what the host shows without asking the agent: plan, target probes, free space, the backup host's ssh
 * accounts, the agent's socket.
 */
final class HostRules {

    /** Below this free space a file system is full for practical purposes: pushes and the queue file fail. */
    static final long FULL = 64L * 1024 * 1024;
    /** Below this it soon will be. */
    static final long LOW = 1024L * 1024 * 1024;

    private HostRules() {}

    record Problem(Health.Plan plan, Health.Plan.Problem problem) {}

    record Drift(Health.Plan plan, Health.Plan.Drift drift) {}

    static final List<Rule<Problem>> PROBLEM = List.of(
            new Rule<>("state.error", "severity", p -> p.problem().error(), Verdict.FAIL, p -> p.problem().text(),
                    p -> "fix the state file ('agent validate " + p.plan().stateFile() + "' shows every problem)"),
            new Rule<>("state.warning", "severity", p -> true, Verdict.WARN, p -> p.problem().text(),
                    p -> "see 'agent validate " + p.plan().stateFile() + "'"));

    static final List<Rule<Drift>> DRIFT = List.of(
            new Rule<>("host.blocked", "kind", d -> d.drift().blocked(), Verdict.FAIL, d -> d.drift().change(),
                    d -> d.drift().unblock()),
            new Rule<>("host.drift", "kind", d -> true, Verdict.WARN, d -> d.drift().change(),
                    d -> "'agent apply " + d.plan().stateFile() + "' converges it ('agent plan' shows the change)"));

    static final List<Rule<Health.Probe>> PROBE = List.of(
            new Rule<>("target.reachable", "probe", p -> p.error().isEmpty(), Verdict.OK,
                    p -> "reachable and authenticated", p -> ""),
            new Rule<>("target.unreachable", "probe", p -> true, Verdict.FAIL, p -> p.error(),
                    p -> "check that the daemon is up, the module exists and the password matches"));

    static final List<Rule<Health.Space>> SPACE = List.of(
            new Rule<>("disk.unreadable", "space", s -> !s.error().isEmpty(), Verdict.WARN,
                    s -> "cannot read the free space of " + s.dir() + ": " + s.error(), s -> ""),
            new Rule<>("disk.full", "space", s -> s.usable() < FULL, Verdict.FAIL,
                    s -> free(s) + ": " + s.what() + " is full for practical purposes", s -> "free space on " + s.dir()),
            new Rule<>("disk.low", "space", s -> s.usable() < LOW, Verdict.WARN, s -> free(s),
                    s -> "free space on " + s.dir() + " before " + s.what() + " fills it"),
            new Rule<>("disk.ok", "space", s -> true, Verdict.OK, HostRules::free, s -> ""));

    static final List<Rule<Health.SshAccount>> SSH_ACCOUNT = List.of(
            new Rule<>("sshd.missing", "sshd", a -> !a.sshd(), Verdict.FAIL,
                    a -> "no sshd runs on this host: the clients cannot reach the account",
                    a -> "start the host's sshd (systemctl start ssh); the agent leaves its configuration alone"),
            new Rule<>("ssh_account.shell_runs", "account", a -> !a.shellError().isEmpty(), Verdict.FAIL,
                    a -> "the account's key would run a shell: " + a.shellError(),
                    a -> "'agent apply' rewrites authorized_keys to the agent's restrict,command=rrsync lines"),
            new Rule<>("ssh_account.rsync_fails", "account", a -> !a.rsyncError().isEmpty(), Verdict.FAIL,
                    a -> "rsync through the account's forced command fails: " + a.rsyncError(),
                    a -> "'agent apply' converges the account, its directory and authorized_keys ('agent plan' shows what differs)"),
            new Rule<>("ssh_account.ok", "account", a -> true, Verdict.OK,
                    a -> "rsync works through the account's forced command (rrsync) and a shell is refused", a -> ""));

    static final List<Rule<Health.Unreachable>> UNREACHABLE = List.of(
            new Rule<>("agent.not_needed", "agent", u -> !u.needed(), Verdict.OK,
                    u -> "no agent answers on " + u.socket() + "; none is needed: the state has no watches", u -> ""),
            new Rule<>("agent.unreachable", "agent", u -> true, Verdict.FAIL, u -> u.why() + ": nothing is replicated",
                    u -> "start it: systemctl start agent, or agent apply STATE"));

    private static String free(Health.Space s) {
        return String.format(Locale.ROOT, "%.1f GiB free on %s (%s)", s.usable() / (1024.0 * 1024 * 1024), s.dir(), s.what());
    }
}
