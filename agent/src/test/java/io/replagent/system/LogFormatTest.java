package io.replagent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    static final Instant T = Instant.parse("2026-12-01T12:00:00.123Z");
    static final String CAUSE = "rsync exit 10: rsync: [sender] failed to connect to backup (10.0.0.2): Connection refused (111)"
            + " / rsync error: error in socket IO (code 10) at clientserver.c(139) [sender=3.2.7]";

    static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void textKeepsTheAgentsSentencesWithWatchAndTargetInFront() {
        assertEquals("2026-12-01T12:00:00.123Z info agent: replicating 2 watch(es)",
                LogFormat.TEXT.line(T, "info", "agent: replicating 2 watch(es)", Map.of()));
        assertEquals("2026-12-01T12:00:00.123Z warn watch data target backup: batch failed exit=10",
                LogFormat.TEXT.line(T, "warn", "batch failed", fields("watch", "data", "target", "backup", "exit", "10")));
        assertEquals("2026-12-01T12:00:00.123Z error watch data: source lost",
                LogFormat.TEXT.line(T, "error", "source lost", fields("watch", "data")));
        assertEquals("2026-12-01T12:00:00.123Z warn a / b c", LogFormat.TEXT.line(T, "warn", "a\r\nb\nc", Map.of()),
                "one message, one line");
    }

    @Test
    void jsonIsOneObjectPerLineWithTheFieldsAsKeysAndRsyncsCauseKept() throws Exception {
        String line = LogFormat.JSON.line(T, "warn", "retry 3 in 8.0 s",
                fields("watch", "data", "target", "backup", "exit", "10", "error", CAUSE, "none", null));
        assertEquals(-1, line.indexOf('\n'));
        JsonNode o = JsonMapper.builder().build().readTree(line);
        assertEquals(List.of("time", "level", "message", "watch", "target", "exit", "error"), List.copyOf(o.propertyNames()));
        assertEquals("2026-12-01T12:00:00.123Z", o.path("time").asString());
        assertEquals("warn", o.path("level").asString());
        assertEquals("backup", o.path("target").asString());
        assertEquals(CAUSE, o.path("error").asString(), "the cause line, not only rsync's summary");
    }

    @Test
    void jsonEscapesWhatANameCanHold() throws Exception {
        String hostile = "new\nline \"quoted\" back\\slash \t tab \u0001 caf\u00e9 lone\ud800 \ufffd";
        String line = LogFormat.JSON.line(T, "info", hostile, Map.of());
        assertEquals(-1, line.indexOf('\n'));
        assertEquals(hostile, JsonMapper.builder().build().readTree(line).path("message").asString());
    }
}
