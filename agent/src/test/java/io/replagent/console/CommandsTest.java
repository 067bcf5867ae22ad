package io.replagent.console;

import io.replagent.control.ControlException;
import io.replagent.health.Health;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every console command against a fake agent: the words typed, the operations asked, the lines printed. */
class CommandsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T03:00:00Z"), ZoneOffset.UTC);

    /** Answers canned results per operation and records every call; an answer that is an exception is thrown. */
    static final class FakeAgent implements Agent {
        final List<String> calls = new ArrayList<>();
        final Map<String, Object> answers;

        FakeAgent(Map<String, Object> answers) {
            this.answers = answers;
        }

        @Override public JsonNode call(String op, JsonNode args) throws ControlException {
            calls.add(op + (args == null ? "" : " " + args));
            Object answer = answers.get(op);
            if (answer instanceof ControlException e) throw e;
            if (answer == null) throw new ControlException("unknown_op", "unknown operation '" + op + "'");
            return (JsonNode) answer;
        }
    }

    static FakeAgent agent() {
        return new FakeAgent(Map.of(
                "status", ConsoleTest.served(ConsoleTest.STATUS),
                "retry", JSON.readTree("{\"retry\":[\"data/backup\"]}"),
                "pause", JSON.readTree("{\"pause\":[\"data/backup\"]}"),
                "resume", JSON.readTree("{\"resume\":[\"data/backup\"]}"),
                "sync", JSON.readTree("{\"sync\":[\"data/backup\",\"data/offsite\"]}"),
                "limits", JSON.readTree("{\"max_user_watches\":8192,\"watches_used\":12}"),
                "config", JSON.readTree("{\"watches\":[{\"name\":\"data\",\"password\":\"env:RSYNC_PASSWORD\"}]}"),
                "rsyncd", JSON.readTree("{\"config_file\":\"/etc/rsyncd.conf\",\"config\":\"port = 873\\n[data]\",\"daemon\":\"answering\"}"),
                "log_level", JSON.readTree("{\"level\":\"debug\"}"),
                "doctor", Health.json(List.of(
                        new io.replagent.health.Finding("host.ok", "host", io.replagent.health.Verdict.OK, "matches the state", ""),
                        new io.replagent.health.Finding("target.unreachable", "target data/backup", io.replagent.health.Verdict.FAIL,
                                "rsync exit 5: @ERROR: auth failed on module data", "check the password")))));
    }

    final Commands commands = new Commands(Style.PLAIN, CLOCK);

    String run(FakeAgent agent, String line) {
        return String.join("\n", commands.run(Arrays.asList(line.split(" ")), agent));
    }

    @Test
    void statusIsTheTableAndWhatIsWrongWithItsFix() {
        FakeAgent agent = agent();
        String out = run(agent, "status");
        assertEquals(List.of("status"), agent.calls);
        assertTrue(out.startsWith("WATCH  TARGET   STATE   QUEUE  OLDEST  IN-FLIGHT  LAST OK   FAILED  SENT"), out);
        assertTrue(out.contains("data   backup   paused  3      42.0s   0          never     1       0 files, 0 B"), out);
        assertTrue(out.contains("data   offsite  idle    0      -       0          2.0s ago  0       2 files, 2.0 KiB"), out);
        assertTrue(out.contains("FAIL  replication data/backup: paused: auth failed on module data (rsync exit 5)\n"
                + "      fix: fix the cause, then 'retry data/backup' (or 'resume') in agent console"), out);
        assertTrue(out.contains("warn  replication data/backup: 1 path(s) in the failure queue, retry 0"), out);
        assertFalse(out.contains("replication data/offsite"), "ok findings are not notes: " + out);
        assertTrue(out.contains("watch data: /data, 12 directories watched, 40 events, 0 overflows"), out);
    }

    @Test
    void failuresAndQueueFilterByTarget() {
        String failures = run(agent(), "failures backup");
        assertEquals("data/backup: 1 path(s) waiting\n  @ERROR: auth failed on module data\n    reports/q3.csv", failures);
        String queue = run(agent(), "queue offsite");
        assertEquals("TARGET        STATE  QUEUE  OLDEST  IN-FLIGHT  NEXT RETRY\ndata/offsite  idle   0      -       0          -", queue);
    }

    @Test
    void targetOperationsSendTheirArguments() {
        FakeAgent agent = agent();
        assertEquals("retrying now: data/backup", run(agent, "retry data/backup"));
        assertEquals("retrying now: data/backup (deletes allowed)", run(agent, "retry all --allow-deletes"));
        assertEquals("paused backup", run(agent, "pause backup"));
        assertEquals("resumed data/backup", run(agent, "resume data/backup"));
        assertEquals("full sync queued for every watch", run(agent, "sync"));
        assertEquals("full sync queued for data", run(agent, "sync data"));
        assertEquals("log level is now debug", run(agent, "log-level debug"));
        assertEquals(List.of("retry {\"target\":\"data/backup\"}", "retry {\"allow_deletes\":true}", "pause {\"target\":\"backup\"}",
                "resume {\"target\":\"data/backup\"}", "sync {}", "sync {\"target\":\"data\"}", "log_level {\"level\":\"debug\"}"),
                agent.calls);
    }

    @Test
    void aMissingArgumentIsTheUsageAndAsksNothing() {
        FakeAgent agent = agent();
        assertEquals("usage: pause TARGET", run(agent, "pause"));
        assertEquals("usage: resume TARGET", run(agent, "resume a b"));
        assertEquals("usage: log-level LEVEL", run(agent, "log-level"));
        assertEquals(List.of(), agent.calls);
    }

    @Test
    void theAgentsErrorsArePrinted() {
        FakeAgent refusing = new FakeAgent(Map.of("pause", new ControlException("bad_request", "no watch or target 'nosuch'")));
        assertEquals("no watch or target 'nosuch'", run(refusing, "pause nosuch"));
        FakeAgent gone = new FakeAgent(Map.of("status", new ControlException("unreachable", "no agent is listening on /run/a.sock")));
        assertEquals("no agent is listening on /run/a.sock", run(gone, "status"));
    }

    @Test
    void limitsConfigAndRsyncdAreShownAsIndentedKeys() {
        assertEquals("max_user_watches: 8192\nwatches_used: 12", run(agent(), "limits"));
        assertEquals("watches:\n  - name: data\n    password: env:RSYNC_PASSWORD", run(agent(), "config"));
        assertEquals("config_file: /etc/rsyncd.conf\nconfig: port = 873\n[data]\ndaemon: answering", run(agent(), "rsyncd"));
    }

    @Test
    void doctorIsAVerdictPerLineAndTheFixUnderAFailure() {
        assertEquals("ok    host: matches the state\nFAIL  target data/backup: rsync exit 5: @ERROR: auth failed on module data\n"
                + "      fix: check the password", run(agent(), "doctor"));
    }

    @Test
    void helpUnknownCommandsAndTheShellsOwnCommands() {
        String help = run(agent(), "help");
        for (String name : commands.table().keySet()) assertTrue(help.contains("  " + name), name + " in " + help);
        assertEquals("retry [TARGET|all] [--allow-deletes]\n  retry now, without waiting for the backoff", run(agent(), "help retry"));
        assertEquals("unknown command 'frobnicate' (try 'help')", run(agent(), "frobnicate"));
        assertEquals("usage: watch [SECONDS]", run(agent(), "watch"), "watch needs the keyboard: the shell runs it");
        assertEquals("", run(agent(), "quit"));
    }

    @Test
    void completionsComeFromTheStatus() {
        JsonNode status = ConsoleTest.served(ConsoleTest.STATUS);
        assertEquals(List.of("data/backup", "backup", "data/offsite", "offsite"), commands.completions("pause", status));
        assertEquals(List.of("all", "--allow-deletes", "data/backup", "backup", "data/offsite", "offsite"), commands.completions("retry", status));
        assertEquals(List.of("data", "data/backup", "backup", "data/offsite", "offsite"), commands.completions("sync", status));
        assertEquals(Commands.LOG_LEVELS, commands.completions("log-level", status));
        assertEquals(List.copyOf(commands.table().keySet()), commands.completions("help", status));
        assertEquals(List.of(), commands.completions("status", (ObjectNode) JSON.readTree("{}")));
    }
}
