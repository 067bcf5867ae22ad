package io.replagent.health;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Plan, probes, ssh accounts, free space and reachability as tables: inputs in, rules and verdicts out. */
class HostRulesTest {

    static List<String> rules(List<Finding> findings) {
        return findings.stream().map(f -> f.rule() + " " + f.verdict().label()).toList();
    }

    static Health.Plan plan(List<Health.Plan.Problem> problems, List<Health.Plan.Drift> drifts) {
        return new Health.Plan("/etc/agent/state.yaml", problems, drifts);
    }

    @Test
    void plan() {
        assertEquals(List.of("host.ok ok"), rules(Health.plan(plan(List.of(), List.of()))));
        Health.Plan.Problem warning = new Health.Plan.Problem(false, "s.yaml:3:5: warning: environment variable X is not set");
        Health.Plan.Problem error = new Health.Plan.Problem(true, "s.yaml:2:1: unknown key 'x'");
        assertEquals(List.of("state.warning warn", "host.ok ok"), rules(Health.plan(plan(List.of(warning), List.of()))));
        assertEquals(List.of("state.error fail"), rules(Health.plan(plan(List.of(error), List.of()))),
                "an invalid state says nothing of the host");
        Health.Plan.Drift daemon = new Health.Plan.Drift("daemon[rsyncd]", "state: not running, stopped -> running", false, "");
        Health.Plan.Drift blocked = new Health.Plan.Drift("service[rsync.service]", "state: systemd is not running", true,
                "use daemon.manage: process");
        assertEquals(List.of("host.drift warn", "host.blocked fail"), rules(Health.plan(plan(List.of(), List.of(daemon, blocked)))));
        List<Finding> found = Health.plan(plan(List.of(error), List.of(blocked)));
        assertEquals(new Finding("state.error", "state", Verdict.FAIL, "s.yaml:2:1: unknown key 'x'",
                "fix the state file ('agent validate /etc/agent/state.yaml' shows every problem)"), found.get(0));
        assertEquals(new Finding("host.blocked", "service[rsync.service]", Verdict.FAIL, "state: systemd is not running",
                "use daemon.manage: process"), found.get(1));
        assertEquals("'agent apply /etc/agent/state.yaml' converges it ('agent plan' shows the change)",
                Health.plan(plan(List.of(), List.of(daemon))).get(0).fix());
    }

    @Test
    void probes() {
        List<Finding> found = Health.probes(List.of(new Health.Probe("data/b", ""),
                new Health.Probe("data/c", "rsync exit 5: @ERROR: auth failed on module data")));
        assertEquals(List.of("target.reachable ok", "target.unreachable fail"), rules(found));
        assertEquals("target data/c", found.get(1).check());
        assertEquals("rsync exit 5: @ERROR: auth failed on module data", found.get(1).cause());
        assertEquals(Verdict.FAIL, Health.probesFailed("environment variable X is not set").verdict());
    }

    @Test
    void sshAccounts() {
        Object[][] cases = {
                {new Health.SshAccount("backup", true, "", ""), List.of("ssh_account.ok ok")},
                {new Health.SshAccount("backup", false, "", ""), List.of("sshd.missing fail", "ssh_account.ok ok")},
                {new Health.SshAccount("backup", true, "rsync exit 12: rrsync: /data is not a directory", ""),
                        List.of("ssh_account.rsync_fails fail")},
                {new Health.SshAccount("backup", true, "", "uid=1001(backup)"), List.of("ssh_account.shell_runs fail")},
                {new Health.SshAccount("backup", false, "x", "y"), List.of("sshd.missing fail", "ssh_account.shell_runs fail")},
        };
        for (Object[] c : cases) assertEquals(c[1], rules(Health.sshAccounts(List.of((Health.SshAccount) c[0]))), c[0].toString());
        Finding shell = Health.sshAccounts(List.of(new Health.SshAccount("backup", true, "", "uid=1001(backup)"))).get(0);
        assertEquals("ssh account backup", shell.check());
        assertEquals("the account's key would run a shell: uid=1001(backup)", shell.cause());
    }

    @Test
    void freeSpace() {
        long mib = 1024L * 1024;
        assertEquals(List.of("disk.ok ok", "disk.low warn", "disk.full fail", "disk.full fail", "disk.unreadable warn"),
                rules(Health.space(List.of(new Health.Space("module data", "/data", 1024 * mib, ""),
                        new Health.Space("module data", "/data", 1024 * mib - 1, ""),
                        new Health.Space("state directory", "/var/lib/agent", 64 * mib - 1, ""),
                        new Health.Space("state directory", "/var/lib/agent", 0, ""),
                        new Health.Space("state directory", "/var/lib/agent", 0, "Permission denied")))));
        Finding low = Health.space(List.of(new Health.Space("module data", "/data", 512 * mib, ""))).get(0);
        assertEquals(new Finding("disk.low", "disk /data", Verdict.WARN, "0.5 GiB free on /data (module data)",
                "free space on /data before module data fills it"), low);
    }

    @Test
    void anAgentThatDoesNotAnswer() {
        assertEquals(new Finding("agent.unreachable", "agent", Verdict.FAIL, "no agent is listening on /run/agent/agent.sock: "
                        + "nothing is replicated", "start it: systemctl start agent, or agent apply STATE"),
                Health.unreachable(new Health.Unreachable("/run/agent/agent.sock", "no agent is listening on /run/agent/agent.sock", true)));
        assertEquals(Verdict.OK, Health.unreachable(new Health.Unreachable("/run/agent/agent.sock", "refused", false)).verdict(),
                "a state without watches needs no agent");
    }
}
