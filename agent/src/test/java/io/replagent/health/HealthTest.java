package io.replagent.health;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthTest {

    static final Finding OK = new Finding("host.ok", "host", Verdict.OK, "matches", "");
    static final Finding WARN = new Finding("target.failures", "replication d/b", Verdict.WARN, "3 path(s)", "retry");
    static final Finding FAIL = new Finding("watch.error", "watch d", Verdict.FAIL, "stopped", "restart");

    @Test
    void theJsonShapeScriptsRead() {
        assertEquals("[{\"rule\":\"target.failures\",\"check\":\"replication d/b\",\"verdict\":\"warn\",\"cause\":\"3 path(s)\","
                + "\"fix\":\"retry\"}]", Health.json(List.of(WARN)).toString());
    }

    @Test
    void theWorstVerdictFromFindingsOrTheirJson() {
        assertEquals(Verdict.OK, Health.worst(List.of()));
        assertEquals(Verdict.OK, Health.worst(List.of(OK)));
        assertEquals(Verdict.WARN, Health.worst(List.of(OK, WARN)));
        assertEquals(Verdict.FAIL, Health.worst(List.of(FAIL, WARN, OK)));
        assertEquals(Verdict.FAIL, Health.worst(Health.json(List.of(OK, FAIL))));
        JsonNode missing = JsonMapper.builder().build().readTree("{}").path("health");
        assertEquals(Verdict.OK, Health.worst(missing), "no findings served: nothing to judge");
    }
}
