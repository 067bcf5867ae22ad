package io.replagent.replicate;

import io.replagent.history.TargetHistory;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The status snapshot as JSON (the status file's format). Written by hand: a few fields, no mapper needed. */
final class StatusJson {

    private final StringBuilder out = new StringBuilder();

    private StatusJson() {}

    static String of(ReplicationStatus status) {
        StatusJson j = new StatusJson();
        j.out.append("{\"at\":").append(quote(status.at().toString())).append(",\"watches\":[");
        List<ReplicationStatus.WatchStatus> watches = status.watches();
        for (int i = 0; i < watches.size(); i++) {
            if (i > 0) j.out.append(',');
            j.watch(watches.get(i));
        }
        j.out.append("],\"modules\":[");
        for (int i = 0; i < status.modules().size(); i++) {
            ReplicationStatus.ModuleStatus m = status.modules().get(i);
            j.out.append(i > 0 ? "," : "").append("{\"name\":").append(quote(m.name())).append(",\"path\":")
                    .append(quote(m.path())).append(",\"history\":");
            j.history(m.history());
            j.out.append('}');
        }
        return j.out.append("]}\n").toString();
    }

    private void watch(ReplicationStatus.WatchStatus w) {
        out.append("{\"name\":").append(quote(w.name()))
                .append(",\"source\":").append(quote(w.source()))
                .append(",\"watched_directories\":").append(w.watchedDirectories())
                .append(",\"events\":").append(w.events())
                .append(",\"overflows\":").append(w.overflows())
                .append(",\"error\":").append(quote(w.error()))
                .append(",\"backend\":").append(quote(w.backend()))
                .append(",\"backend_reason\":").append(quote(w.backendReason()))
                .append(",\"targets\":[");
        for (int i = 0; i < w.targets().size(); i++) {
            if (i > 0) out.append(',');
            target(w.targets().get(i));
        }
        out.append("]}");
    }

    private void target(ReplicationStatus.TargetStatus t) {
        out.append("{\"name\":").append(quote(t.name()))
                .append(",\"destination\":").append(quote(t.destination()))
                .append(",\"state\":").append(quote(t.state()))
                .append(",\"pause_reason\":").append(quote(t.pauseReason()))
                .append(",\"alert\":").append(quote(t.alert()))
                .append(",\"queue_depth\":").append(t.queueDepth())
                .append(",\"oldest_pending_s\":").append(String.format(Locale.ROOT, "%.3f", t.oldestPendingSeconds()))
                .append(",\"in_flight\":").append(t.inFlight())
                .append(",\"last_success\":").append(quote(instant(t.lastSuccess())))
                .append(",\"attempt\":").append(t.attempt())
                .append(",\"retries\":").append(t.retries())
                .append(",\"next_retry\":").append(quote(instant(t.nextRetry())))
                .append(",\"failure_count\":").append(t.failureCount())
                .append(",\"failures\":[");
        for (int i = 0; i < t.failures().size(); i++) {
            ReplicationStatus.Failure f = t.failures().get(i);
            if (i > 0) out.append(',');
            out.append("{\"path\":").append(quote(f.path())).append(",\"error\":").append(quote(f.error())).append('}');
        }
        out.append("],\"bytes_sent\":").append(t.bytesSent())
                .append(",\"files_sent\":").append(t.filesSent())
                .append(",\"rsync_runs\":").append(t.rsyncRuns())
                .append(",\"batches\":").append(t.batches())
                .append(",\"last_audit\":");
        audit(t.lastAudit());
        out.append(",\"history\":");
        history(t.history());
        out.append('}');
    }

    /** bytes and versions are -1 until first measured; oldest is the oldest batch kept (a UTC time), null when none. */
    void history(TargetHistory.Status h) {
        if (h == null) {
            out.append("null");
            return;
        }
        out.append("{\"retention\":").append(quote(h.retention()))
                .append(",\"pruned_by\":").append(quote(h.prunedBy()))
                .append(",\"bytes\":").append(h.bytes())
                .append(",\"versions\":").append(h.versions())
                .append(",\"oldest\":").append(quote(h.oldest()))
                .append(",\"measured_at\":").append(quote(instant(h.measuredAt())))
                .append(",\"error\":").append(quote(h.error()))
                .append('}');
    }

    private void audit(ReplicationStatus.AuditStatus a) {
        if (a == null) {
            out.append("null");
            return;
        }
        out.append("{\"at\":").append(quote(instant(a.at())))
                .append(",\"result\":").append(quote(a.result()))
                .append(",\"missing\":").append(a.missing())
                .append(",\"differs\":").append(a.differs())
                .append(",\"extra\":").append(a.extra())
                .append(",\"first\":[");
        for (int i = 0; i < a.first().size(); i++) out.append(i > 0 ? "," : "").append(quote(a.first().get(i)));
        out.append("],\"repaired\":").append(a.repaired())
                .append(",\"error\":").append(quote(a.error()))
                .append('}');
    }

    private static String instant(Instant at) {
        return at == null ? null : at.toString();
    }

    static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
