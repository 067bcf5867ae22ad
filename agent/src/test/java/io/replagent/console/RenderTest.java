package io.replagent.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderTest {

    @Test
    void aRunningFullSyncShowsItsProgressUnderTheTable() throws Exception {
        JsonNode status = JsonMapper.builder().build().readTree("""
                {"watches":[{"name":"data","source":"/srv/data","watched_directories":3,"events":0,"overflows":1,
                  "targets":[{"name":"backup","state":"syncing","queue_depth":1,"oldest_pending_s":12.0,"in_flight":1,
                    "last_success":null,"failure_count":0,"files_sent":0,"bytes_sent":0,
                    "progress":{"bytes":1288490189,"percent":45,"bytes_per_second":12373196,"eta_s":492,"files":12345,
                      "to_check":1000,"total":4135,"listing":true}},
                   {"name":"idle","state":"idle","queue_depth":0,"progress":null}]}]}""");
        List<String> lines = Render.status(status, Style.PLAIN, Instant.parse("2026-12-01T12:00:00Z"));
        assertTrue(lines.contains("full sync data/backup: 45%, 1.20 GiB, 12,345 files (1,000 of 4,135 to check, listing), "
                + "11.8 MiB/s, ETA 0:08:12"), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("data/idle")), "no line for a target without a full sync running");
    }
}
