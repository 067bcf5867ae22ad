package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusJsonTest {

    @Test void rendersEveryFieldAndEscapes() {
        ReplicationStatus s = new ReplicationStatus(Instant.parse("2026-01-02T03:04:05Z"), List.of(
                new ReplicationStatus.WatchStatus("w", "/src", 3, 10, 1, null, "inotify",
                        "settings.watch_backend is inotify", List.of(
                        new ReplicationStatus.TargetStatus("t", "rsync://u@h:873/m/", "paused", "mass_delete", "held", 2, 1.5, 0,
                                Instant.parse("2026-01-02T03:04:00Z"), 1, 4, null,
                                List.of(new ReplicationStatus.Failure("a \"q\"\n", "rsync exit 10: refused")), 1,
                                100, 5, 7, 6, new ReplicationStatus.AuditStatus(Instant.parse("2026-01-02T03:00:00Z"),
                                        "differences", 1, 2, 0, List.of("missing a", "differs b"), true, null))))));
        assertEquals("{\"at\":\"2026-01-02T03:04:05Z\",\"watches\":[{\"name\":\"w\",\"source\":\"/src\","
                + "\"watched_directories\":3,\"events\":10,\"overflows\":1,\"error\":null,\"backend\":\"inotify\","
                + "\"backend_reason\":\"settings.watch_backend is inotify\",\"targets\":[{\"name\":\"t\","
                + "\"destination\":\"rsync://u@h:873/m/\",\"state\":\"paused\",\"pause_reason\":\"mass_delete\",\"alert\":\"held\",\"queue_depth\":2,"
                + "\"oldest_pending_s\":1.500,\"in_flight\":0,\"last_success\":\"2026-01-02T03:04:00Z\",\"attempt\":1,"
                + "\"retries\":4,\"next_retry\":null,\"failure_count\":1,\"failures\":[{\"path\":\"a \\\"q\\\"\\u000a\","
                + "\"error\":\"rsync exit 10: refused\"}],\"bytes_sent\":100,\"files_sent\":5,\"rsync_runs\":7,"
                + "\"batches\":6,\"last_audit\":{\"at\":\"2026-01-02T03:00:00Z\",\"result\":\"differences\",\"missing\":1,"
                + "\"differs\":2,\"extra\":0,\"first\":[\"missing a\",\"differs b\"],\"repaired\":true,\"error\":null},"
                + "\"history\":null}]}],\"modules\":[]}\n",
                StatusJson.of(s));
    }

    @Test void rendersHistoryOfTargetsAndModules() {
        io.replagent.history.TargetHistory.Status h = new io.replagent.history.TargetHistory.Status("keep 30d", "this agent",
                2048, 3, "2026-01-01T00:00:00.000Z", Instant.parse("2026-01-02T03:00:00Z"), null);
        ReplicationStatus s = new ReplicationStatus(Instant.parse("2026-01-02T03:04:05Z"), List.of(),
                List.of(new ReplicationStatus.ModuleStatus("data", "/srv/backup", h)));
        assertEquals("{\"at\":\"2026-01-02T03:04:05Z\",\"watches\":[],\"modules\":[{\"name\":\"data\",\"path\":\"/srv/backup\","
                + "\"history\":{\"retention\":\"keep 30d\",\"pruned_by\":\"this agent\",\"bytes\":2048,\"versions\":3,"
                + "\"oldest\":\"2026-01-01T00:00:00.000Z\",\"measured_at\":\"2026-01-02T03:00:00Z\",\"error\":null}}]}\n",
                StatusJson.of(s));
    }
}
