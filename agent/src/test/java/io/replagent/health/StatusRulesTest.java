package io.replagent.health;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status rules as a table: a target's (or watch's, or agent's) fields in, the findings' rules and verdicts out. */
class StatusRulesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final JsonNode LIMITS = JSON.readTree("{\"max_user_watches\":1000,\"watches_used\":10}");
    static final String IDLE = "\"state\":\"idle\",\"alert\":null,\"queue_depth\":0,\"oldest_pending_s\":0,"
            + "\"attempt\":0,\"failure_count\":0,\"last_success\":\"2026-11-27T02:59:58Z\"";

    /** One watch "data" with 12 directories watched and one target "b" with these fields (over the idle ones). */
    static JsonNode status(String target) {
        return JSON.readTree("{\"watches\":[{\"name\":\"data\",\"source\":\"/data\",\"watched_directories\":12,\"error\":null,"
                + "\"targets\":[{\"name\":\"b\"," + IDLE + (target.isEmpty() ? "" : "," + target) + "}]}]}");
    }

    static List<String> verdicts(JsonNode status, JsonNode limits) {
        return StatusRules.of(status, limits).stream().map(f -> f.rule() + " " + f.verdict().label()).toList();
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("", List.of("target.ok ok")),
                Arguments.of("\"state\":\"paused\",\"pause_reason\":\"source_lost\",\"alert\":\"source /data is gone\"",
                        List.of("target.paused.source_lost fail")),
                Arguments.of("\"state\":\"paused\",\"pause_reason\":\"mass_delete\",\"alert\":\"would delete 80 of 100 files\"",
                        List.of("target.paused.mass_delete fail")),
                Arguments.of("\"state\":\"paused\",\"pause_reason\":\"error\",\"alert\":\"auth failed (rsync exit 5)\"",
                        List.of("target.paused.error fail")),
                Arguments.of("\"state\":\"paused\",\"pause_reason\":\"operator\",\"alert\":\"paused by operator\"",
                        List.of("target.paused.operator warn")),
                // an agent that sends no pause_reason (or one this version does not know): a failure, never ok
                Arguments.of("\"state\":\"paused\",\"alert\":\"paused by operator\"", List.of("target.paused fail")),
                Arguments.of("\"state\":\"paused\",\"pause_reason\":\"quota\",\"alert\":\"over quota\"", List.of("target.paused fail")),
                Arguments.of("\"state\":\"retrying\",\"failure_count\":3,\"attempt\":2,\"next_retry\":\"2026-11-27T03:00:10Z\"",
                        List.of("target.failures warn")),
                Arguments.of("\"state\":\"paused\",\"pause_reason\":\"error\",\"alert\":\"x\",\"failure_count\":3",
                        List.of("target.paused.error fail", "target.failures warn")),
                Arguments.of("\"state\":\"retrying\",\"attempt\":1", List.of("target.retrying warn")),
                Arguments.of("\"state\":\"syncing\",\"queue_depth\":40,\"oldest_pending_s\":599.0", List.of("target.ok ok")),
                Arguments.of("\"state\":\"syncing\",\"queue_depth\":40,\"oldest_pending_s\":600.0", List.of("target.behind warn")),
                // paused with changes waiting for long: the pause is the finding, not the lag
                Arguments.of("\"state\":\"paused\",\"pause_reason\":\"operator\",\"queue_depth\":4,\"oldest_pending_s\":9000",
                        List.of("target.paused.operator warn")));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void targetRules(String fields, List<String> expected) {
        List<String> found = verdicts(status(fields), LIMITS);
        assertEquals(expected, found.stream().filter(f -> f.startsWith("target.")).toList());
    }

    /** An ssh target's connection is a finding of its own, for status and doctor: the key that passed, and when. */
    @Test
    void anSshTargetNamesItsHostKeyAndLastHandshake() {
        String ssh = "\"transport\":\"ssh\",\"ssh\":{\"pinned\":[\"SHA256:a\"],\"host_key\":\"SHA256:a\","
                + "\"last_handshake\":\"2026-11-27T02:00:00Z\",\"handshakes\":2}";
        List<Finding> found = StatusRules.of(status(ssh), LIMITS);
        assertEquals(List.of("target.ok ok", "transport.ssh ok"), verdicts(status(ssh), LIMITS));
        assertEquals("transport data/b", found.get(1).check());
        assertEquals("ssh, host key SHA256:a (pinned by host_key), last handshake 2026-11-27T02:00:00Z (2 since the agent started)",
                found.get(1).cause());
        assertEquals("ssh, host key SHA256:c (from known_hosts), last handshake 2026-11-27T02:00:00Z (2 since the agent started)",
                StatusRules.of(status(ssh.replace("\"host_key\":\"SHA256:a\"", "\"host_key\":\"SHA256:c\"")), LIMITS).get(1).cause());
        String none = "\"transport\":\"ssh\",\"ssh\":{\"pinned\":[\"SHA256:a\",\"SHA256:b\"],\"host_key\":null,"
                + "\"last_handshake\":null,\"handshakes\":0}";
        assertEquals("ssh, no handshake yet; pinned host key(s): SHA256:a, SHA256:b", StatusRules.of(status(none), LIMITS).get(1).cause());
        assertEquals(List.of("target.ok ok"), verdicts(status("\"transport\":\"rsyncd\",\"ssh\":null"), LIMITS), "a daemon: nothing more");
    }

    @Test
    void causesAndFixesNameTheTargetAndCarryRsyncsWords() {
        Finding f = StatusRules.of(status("\"state\":\"paused\",\"pause_reason\":\"error\",\"alert\":\"@ERROR: auth failed on module data\""),
                LIMITS).get(0);
        assertEquals(new Finding("target.paused.error", "replication data/b", Verdict.FAIL,
                "paused by a permanent rsync error: @ERROR: auth failed on module data",
                "fix the cause, then 'retry data/b' in agent console"), f);
        Finding failures = StatusRules.of(status("\"failure_count\":3,\"attempt\":2,\"next_retry\":\"2026-11-27T03:00:10Z\""), LIMITS).get(0);
        assertEquals("3 path(s) in the failure queue, retry 2, next at 2026-11-27T03:00:10Z", failures.cause());
        Finding behind = StatusRules.of(status("\"queue_depth\":40,\"oldest_pending_s\":900,\"last_success\":null"), LIMITS).get(0);
        assertEquals("40 change(s) waiting, the oldest for 15m; last success never", behind.cause());
    }

    @Test
    void watchRules() {
        JsonNode error = JSON.readTree("{\"watches\":[{\"name\":\"data\",\"source\":\"/data\",\"watched_directories\":12,"
                + "\"error\":\"watcher stopped: x\",\"targets\":[]}]}");
        assertEquals(List.of("watch.error fail"), verdicts(error, LIMITS));
        assertEquals("watch data", StatusRules.of(error, LIMITS).get(0).check());
        JsonNode none = JSON.readTree("{\"watches\":[{\"name\":\"data\",\"source\":\"/data\",\"watched_directories\":0,"
                + "\"error\":null,\"targets\":[]}]}");
        assertEquals(List.of("watch.nothing_watched fail"), verdicts(none, LIMITS));
        assertEquals("no directory of /data is watched: changes there are not seen", StatusRules.of(none, LIMITS).get(0).cause());
        JsonNode fanotify = JSON.readTree("{\"watches\":[{\"name\":\"data\",\"source\":\"/data\",\"watched_directories\":0,"
                + "\"backend\":\"fanotify\",\"error\":null,\"targets\":[]}]}");
        assertEquals(List.of(), verdicts(fanotify, LIMITS), "one fanotify mark covers every directory: 0 inotify watches is normal");
    }

    @Test
    void inotifyWatchesFromNinetyPercentOfTheLimit() {
        JsonNode healthy = status("");
        assertEquals(List.of("target.ok ok"), verdicts(healthy, JSON.readTree("{\"max_user_watches\":1000,\"watches_used\":899}")));
        assertEquals(List.of("inotify.watches warn", "target.ok ok"),
                verdicts(healthy, JSON.readTree("{\"max_user_watches\":1000,\"watches_used\":900}")));
        assertEquals("inotify watches 900 of fs.inotify.max_user_watches 1000", StatusRules.of(healthy,
                JSON.readTree("{\"max_user_watches\":1000,\"watches_used\":900}")).get(0).cause());
        assertEquals(List.of("target.ok ok"), verdicts(healthy, JSON.readTree("{}")), "no limits known: no finding");
    }

    static JsonNode withAgent(String agent) {
        return JSON.readTree("{\"agent\":{\"pid\":42,\"version\":\"0.1.0\",\"state_file\":\"/etc/agent/state.yaml\"," + agent
                + "},\"watches\":[]}");
    }

    /** Whether SIGHUP reloads the running agent (its agent.sighup); an older agent does not say, and did. */
    static Stream<Arguments> sighup() {
        return Stream.of(
                Arguments.of("", List.of("agent.running ok")),
                Arguments.of(",\"sighup\":\"handled\"", List.of("agent.running ok")),
                Arguments.of(",\"sighup\":\"ignored\"", List.of("agent.running ok", "sighup.ignored warn")),
                Arguments.of(",\"sighup\":\"reserved\"", List.of("agent.running ok", "sighup.reserved warn")),
                // an edited state: the fix is a restart when a reload cannot be asked for
                Arguments.of(",\"state_file_sha256\":\"bb\",\"sighup\":\"ignored\"",
                        List.of("agent.running ok", "state.changed warn", "sighup.ignored warn")));
    }

    @ParameterizedTest
    @MethodSource("sighup")
    void reloadBySighupAvailableOrNot(String fields, List<String> expected) {
        assertEquals(expected, verdicts(withAgent("\"state_sha256\":\"aa\"" + fields), LIMITS));
    }

    @Test
    void anIgnoredSighupNamesTheCauseAndTheFix() {
        Finding ignored = StatusRules.of(withAgent("\"sighup\":\"ignored\""), LIMITS).get(1);
        assertEquals(new Finding("sighup.ignored", "reload", Verdict.WARN,
                "SIGHUP is ignored by this process (started under nohup, or by a parent that ignores SIGHUP): "
                        + "'systemctl reload' and 'kill -HUP' do not reload the state file",
                "start the agent without nohup (systemctl start agent) so SIGHUP reloads; until then restart it to run an "
                        + "edited state"), ignored);
        assertEquals(java.util.Optional.of(ignored), Health.sighup("ignored"), "the line the agent logs at start");
        assertEquals(java.util.Optional.empty(), Health.sighup("handled"));
        Finding changed = StatusRules.of(withAgent("\"state_sha256\":\"aa\",\"state_file_sha256\":\"bb\",\"sighup\":\"ignored\""),
                LIMITS).get(1);
        assertEquals("restart the agent to run it (systemctl restart agent): SIGHUP does not reload this one; "
                + "'agent plan /etc/agent/state.yaml' shows what it changes on this host", changed.fix());
    }

    @Test
    void theRunningStateAgainstItsFile() {
        assertEquals(List.of("agent.running ok"), verdicts(withAgent("\"state_sha256\":\"aa\",\"state_file_sha256\":\"aa\""), LIMITS));
        assertEquals(List.of("agent.running ok", "state.changed warn"),
                verdicts(withAgent("\"state_sha256\":\"aa\",\"state_file_sha256\":\"bb\""), LIMITS));
        Finding changed = StatusRules.of(withAgent("\"state_sha256\":\"aa\",\"state_file_sha256\":\"bb\""), LIMITS).get(1);
        assertEquals("state file", changed.check());
        assertEquals("running state differs from the file: /etc/agent/state.yaml changed since the agent started", changed.cause());
        assertTrue(changed.fix().startsWith("reload the agent to run it (systemctl reload agent"), changed.fix());
        assertEquals(List.of("agent.running ok", "state.unreadable warn"),
                verdicts(withAgent("\"state_sha256\":\"aa\",\"state_file_error\":\"no such file\""), LIMITS));
        // a refused reload: the running state stays, the problems are shown
        String refused = "\"state_sha256\":\"aa\",\"state_file_sha256\":\"bb\",\"last_reload\":{\"at\":\"2026-12-01T12:00:00Z\","
                + "\"ok\":false,\"problems\":[\"/etc/agent/state.yaml:3:5: unknown key 'watchs'\",\"b\",\"c\",\"d\"],\"changes\":[]}";
        assertEquals(List.of("agent.running ok", "state.changed warn", "state.reload_failed warn"),
                verdicts(withAgent(refused), LIMITS));
        Finding reload = StatusRules.of(withAgent(refused), LIMITS).get(2);
        assertEquals("the reload at 2026-12-01T12:00:00Z was refused, the agent runs the state it ran before: "
                + "/etc/agent/state.yaml:3:5: unknown key 'watchs'; b; c; and 1 more", reload.cause());
        assertEquals("fix the state file ('agent validate /etc/agent/state.yaml' shows every problem), then reload again",
                reload.fix());
        String applied = "\"state_sha256\":\"bb\",\"state_file_sha256\":\"bb\",\"last_reload\":{\"at\":\"x\",\"ok\":true,"
                + "\"problems\":[],\"changes\":[\"watch w added\"]}";
        assertEquals(List.of("agent.running ok"), verdicts(withAgent(applied), LIMITS));
        // read from stdin: nothing to compare with
        assertEquals(List.of("agent.running ok"), verdicts(withAgent("\"state_sha256\":\"aa\""), LIMITS));
        // the status file (no agent block): no agent findings at all
        assertEquals(List.of("target.ok ok"), verdicts(status(""), LIMITS));
    }
}
