package io.replagent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTest {

    static List<String> lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonTakesWatchAndTargetOutOfTheAgentsSentencesAndKeepsRsyncsCause() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), Log.Level.INFO, LogFormat.JSON);
        log.warn("watch data target backup/data: batch paths=3 files=0 bytes=0 0.010s exit=10 (rsync: [sender] failed to "
                + "connect to 10.0.0.2 (10.0.0.2): Connection refused (111) / rsync error: error in socket IO (code 10))");
        log.error("watch data: source /srv/data is gone");
        log.info("stopped");
        log.debug("not at info");
        log.plain(Log.Level.INFO, "agent: replicating 1 watch(es)");
        JsonMapper json = JsonMapper.builder().build();
        List<String> lines = lines(out);
        assertEquals(4, lines.size(), lines.toString());
        JsonNode batch = json.readTree(lines.get(0));
        assertEquals("warn", batch.path("level").asString());
        assertEquals("data", batch.path("watch").asString());
        assertEquals("backup/data", batch.path("target").asString());
        assertTrue(batch.path("message").asString().startsWith("batch paths=3"), batch.toString());
        assertTrue(batch.path("message").asString().contains("Connection refused (111) / rsync error"), "the cause line stays");
        JsonNode lost = json.readTree(lines.get(1));
        assertEquals("data", lost.path("watch").asString());
        assertTrue(lost.path("target").isMissingNode());
        assertEquals("source /srv/data is gone", lost.path("message").asString());
        assertEquals("stopped", json.readTree(lines.get(2)).path("message").asString());
        assertEquals("agent: replicating 1 watch(es)", json.readTree(lines.get(3)).path("message").asString());
    }

    @Test
    void textIsAsTheAgentAlwaysWroteIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), null, null);
        log.warn("watch data target backup: retry 1 in 1.0 s");
        log.plain(Log.Level.INFO, "agent: replicating 1 watch(es)");
        log.level(Log.Level.ERROR);
        log.warn("now hidden");
        List<String> lines = lines(out);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\S+Z warn watch data target backup: retry 1 in 1.0 s"), lines.get(0));
        assertEquals("agent: replicating 1 watch(es)", lines.get(1));
    }
}
