package io.replagent.metrics;

import static io.replagent.testing.Statuses.activity;
import static io.replagent.testing.Statuses.idle;
import static io.replagent.testing.Statuses.target;
import static io.replagent.testing.Statuses.watch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.history.TargetHistory;
import io.replagent.replicate.ReplicationStatus.TargetStatus;
import io.replagent.state.Listen;
import io.replagent.state.Settings;
import io.replagent.testing.Statuses;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AgentCollectorTest {

    static final Instant T = Instant.parse("2026-12-01T11:59:00Z");

    /** The exposition of a source, without serving or writing anything. */
    static String text(FakeSource source) throws Exception {
        try (MetricsExporter m = MetricsExporter.start(new Settings.Metrics(Optional.empty(), Optional.empty(),
                Duration.ofSeconds(15)), source, "1.2.3", w -> {})) {
            return m.text();
        }
    }

    static List<String> samples(String text, String family) {
        return text.lines().filter(l -> l.startsWith(family + "{") || l.startsWith(family + " ")).toList();
    }

    @Test
    void everyFigureOfTheStatusIsASampleWithWatchAndTargetLabels() throws Exception {
        FakeSource source = new FakeSource(Statuses.of(
                watch("data", 120, 5000, 2, null,
                        target("backup", "retrying", "rsync exit 10: connection refused", 42, 17.5, T, 7, 3, 1_048_576, 12, 9),
                        idle("offsite", T)),
                watch("home", 3, 0, 0, "source /srv/home is gone")));
        String text = text(source);
        assertEquals(List.of("agent_info{version=\"1.2.3\"} 1.0"), samples(text, "agent_info"));
        assertEquals(List.of("agent_watch_up{watch=\"data\"} 1.0", "agent_watch_up{watch=\"home\"} 0.0"),
                samples(text, "agent_watch_up"));
        assertEquals(List.of("agent_watch_directories{watch=\"data\"} 120.0", "agent_watch_directories{watch=\"home\"} 3.0"),
                samples(text, "agent_watch_directories"));
        assertEquals(List.of("agent_watch_events_total{watch=\"data\"} 5000.0", "agent_watch_events_total{watch=\"home\"} 0.0"),
                samples(text, "agent_watch_events_total"));
        assertEquals("agent_watch_overflows_total{watch=\"data\"} 2.0", samples(text, "agent_watch_overflows_total").get(0));
        String backup = "{target=\"backup\",watch=\"data\"}";
        assertTrue(text.contains("agent_target_queued_paths" + backup + " 42.0\n"), text);
        assertTrue(text.contains("# TYPE agent_target_oldest_pending_seconds gauge\n"), text);
        assertTrue(text.contains("agent_target_oldest_pending_seconds" + backup + " 17.5\n"), text);
        assertTrue(text.contains("agent_target_last_success_timestamp_seconds" + backup + " 1.79612634E9\n"), text);
        assertTrue(text.contains("agent_target_failed_paths" + backup + " 7.0\n"), text);
        assertTrue(text.contains("agent_target_retries_total" + backup + " 3.0\n"), text);
        assertTrue(text.contains("agent_target_sent_bytes_total" + backup + " 1048576.0\n"), text);
        assertTrue(text.contains("agent_target_sent_files_total" + backup + " 12.0\n"), text);
        assertTrue(text.contains("agent_target_batches_total" + backup + " 9.0\n"), text);
        assertTrue(text.contains("agent_target_alert" + backup + " 1.0\n"), text);
        assertTrue(text.contains("agent_target_alert{target=\"offsite\",watch=\"data\"} 0.0\n"), text);
        assertEquals(List.of("agent_target_state{state=\"idle\",target=\"backup\",watch=\"data\"} 0.0",
                        "agent_target_state{state=\"paused\",target=\"backup\",watch=\"data\"} 0.0",
                        "agent_target_state{state=\"pending\",target=\"backup\",watch=\"data\"} 0.0",
                        "agent_target_state{state=\"retrying\",target=\"backup\",watch=\"data\"} 1.0",
                        "agent_target_state{state=\"stopped\",target=\"backup\",watch=\"data\"} 0.0",
                        "agent_target_state{state=\"syncing\",target=\"backup\",watch=\"data\"} 0.0"),
                samples(text, "agent_target_state").stream().filter(l -> l.contains("\"backup\"")).toList());
        assertEquals(List.of("agent_inotify_watches 123.0"), samples(text, "agent_inotify_watches"));
        assertEquals(List.of("agent_target_paused{reason=\"error\",target=\"backup\",watch=\"data\"} 0.0",
                "agent_target_paused{reason=\"mass_delete\",target=\"backup\",watch=\"data\"} 0.0",
                "agent_target_paused{reason=\"operator\",target=\"backup\",watch=\"data\"} 0.0",
                "agent_target_paused{reason=\"source_lost\",target=\"backup\",watch=\"data\"} 0.0"),
                samples(text, "agent_target_paused").stream().filter(l -> l.contains("\"backup\"")).toList());
        assertEquals(List.of("agent_watch_info{backend=\"inotify\",source=\"/srv/data\",watch=\"data\"} 1.0",
                "agent_watch_info{backend=\"inotify\",source=\"/srv/home\",watch=\"home\"} 1.0"), samples(text, "agent_watch_info"));
        assertEquals(List.of("agent_inotify_watches_limit 8192.0"), samples(text, "agent_inotify_watches_limit"));
        assertFalse(text.contains("password") || text.contains("connection refused"), "no alert text, no secrets: " + text);
    }

    @Test
    void rsyncRunsAreCountedByExitCodeAndFullSyncsByKindFromTheActivityStream() throws Exception {
        FakeSource source = new FakeSource(Statuses.of(watch("data", 1, 0, 0, null, idle("backup", T))));
        try (MetricsExporter m = MetricsExporter.start(new Settings.Metrics(Optional.empty(), Optional.empty(),
                Duration.ofSeconds(15)), source, "1", w -> {})) {
            source.emit(activity("data", "backup", "initial", 0));
            source.emit(activity("data", "backup", "batch", 0));
            source.emit(activity("data", "backup", "batch", 23));
            source.emit(activity("data", "backup", "batch", 23));
            source.emit(activity("data", "backup", "full", 10));
            source.emit(activity("data", "backup", "refused", 0));
            source.emit(activity("data", null, "overflow", 0));
            source.emit(activity("gone", "old", "batch", 0)); // a target no longer in the status: not shown
            String text = m.text();
            assertEquals(List.of("agent_target_rsync_runs_total{exit=\"0\",target=\"backup\",watch=\"data\"} 2.0",
                    "agent_target_rsync_runs_total{exit=\"10\",target=\"backup\",watch=\"data\"} 1.0",
                    "agent_target_rsync_runs_total{exit=\"23\",target=\"backup\",watch=\"data\"} 2.0"),
                    samples(text, "agent_target_rsync_runs_total"));
            assertEquals(List.of("agent_target_full_syncs_total{kind=\"full\",target=\"backup\",watch=\"data\"} 1.0",
                    "agent_target_full_syncs_total{kind=\"initial\",target=\"backup\",watch=\"data\"} 1.0"),
                    samples(text, "agent_target_full_syncs_total").stream().sorted().collect(Collectors.toList()));
            assertEquals(List.of("agent_target_refused_batches_total{target=\"backup\",watch=\"data\"} 1.0"),
                    samples(text, "agent_target_refused_batches_total"));
        }
        assertTrue(source.listeners.isEmpty(), "closing unsubscribes");
    }

    @Test
    void anAgentWithoutWatchesStillDescribesItsFamiliesAndHookCallsAreLabelledByResult() throws Exception {
        FakeSource source = new FakeSource(Statuses.of());
        source.hooks = List.of(new MetricsExporter.HookCalls("data", "exec", "ok", 5),
                new MetricsExporter.HookCalls("data", "webhook", "dropped", 2));
        String text = text(source);
        assertTrue(text.contains("# TYPE agent_inotify_watches gauge\nagent_inotify_watches 0.0\n"), text);
        assertEquals(List.of("agent_hook_calls_total{hook=\"exec\",result=\"ok\",watch=\"data\"} 5.0",
                "agent_hook_calls_total{hook=\"webhook\",result=\"dropped\",watch=\"data\"} 2.0"),
                samples(text, "agent_hook_calls_total"));
    }

    @Test
    void aPausedTargetSaysWhy() throws Exception {
        String text = text(new FakeSource(Statuses.of(watch("data", 1, 0, 0, null,
                target("backup", "paused", "rsync exit 5: auth failed", 3, 1, T, 0, 0, 0, 0, 1)))));
        assertTrue(text.contains("agent_target_paused{reason=\"error\",target=\"backup\",watch=\"data\"} 1.0\n"), text);
        assertTrue(text.contains("agent_target_paused{reason=\"operator\",target=\"backup\",watch=\"data\"} 0.0\n"), text);
    }

    @Test
    void aTargetWithHistoryShowsItsSizeOnceMeasured() throws Exception {
        TargetStatus plain = idle("backup", T);
        Function<Long, TargetStatus> withHistory = bytes ->
                new TargetStatus(plain.name(), plain.destination(), plain.state(),
                        null, null, 0, 0, 0, T, 0, 0, null, List.of(), 0, 0, 0, 0, 0, null,
                        new TargetHistory.Status("keep 30d", "this agent", bytes, 42, null, T, null), null, null);
        String measured = text(new FakeSource(Statuses.of(watch("data", 1, 0, 0, null, withHistory.apply(1_048_576L)))));
        assertTrue(measured.contains("agent_target_history_bytes{target=\"backup\",watch=\"data\"} 1048576.0\n"), measured);
        assertTrue(measured.contains("agent_target_history_versions{target=\"backup\",watch=\"data\"} 42.0\n"), measured);
        String notYet = text(new FakeSource(Statuses.of(watch("data", 1, 0, 0, null, withHistory.apply(-1L)))));
        assertFalse(notYet.contains("agent_target_history_bytes{"), "not measured yet: no sample");
    }

    @Test
    void aFanotifyWatchHoldsNoInotifyWatches() throws Exception {
        String text = text(new FakeSource(Statuses.of(watch("data", 10, 0, 0, null),
                new io.replagent.replicate.ReplicationStatus.WatchStatus("big", "/srv/big", 100_000, 0, 0, null, "fanotify",
                        "auto: fanotify works on this filesystem", List.of()))));
        assertEquals(List.of("agent_inotify_watches 10.0"), samples(text, "agent_inotify_watches"));
        assertTrue(text.contains("agent_watch_directories{watch=\"big\"} 100000.0\n"), text);
    }

    @Test
    void aBarePortListensOnLoopbackOnly() {
        assertEquals(new Listen("127.0.0.1", 9877), Listen.parse("9877"));
        assertFalse(Listen.parse("9877").external());
        assertFalse(Listen.parse("[::1]:9877").external());
        assertTrue(Listen.parse("0.0.0.0:9877").external());
    }
}
