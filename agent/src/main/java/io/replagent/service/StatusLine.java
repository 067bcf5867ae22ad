package io.replagent.service;

import io.replagent.replicate.ReplicationStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one line {@code systemctl status} shows for the agent (STATUS=): watches, backlog, the last error. */
final class StatusLine {

    static final int MAX = 200;

    private StatusLine() {}

    /** @param initialSyncsLeft targets whose initial sync has not finished yet (0 once ready) */
    static String of(ReplicationStatus status, int initialSyncsLeft) {
        int targets = 0;
        long waiting = 0;
        double oldest = 0;
        int retrying = 0;
        int paused = 0;
        String error = null;
        for (ReplicationStatus.WatchStatus w : status.watches()) {
            if (error == null && w.error() != null) error = w.name() + ": " + w.error();
            for (ReplicationStatus.TargetStatus t : w.targets()) {
                targets++;
                waiting += t.queueDepth();
                oldest = Math.max(oldest, t.oldestPendingSeconds());
                if (t.state().equals("retrying")) retrying++;
                if (t.state().equals("paused")) paused++;
                if (error == null && t.alert() != null) error = w.name() + "/" + t.name() + ": " + t.alert();
                if (error == null && !t.failures().isEmpty()) error = w.name() + "/" + t.name() + ": " + t.failures().get(0).error();
            }
        }
        List<String> parts = new ArrayList<>();
        String head = plural(status.watches().size(), "watch", "watches") + ", " + plural(targets, "target", "targets");
        if (initialSyncsLeft > 0) head = "initial sync, " + initialSyncsLeft + " of " + targets + " left; " + head;
        parts.add(head);
        parts.add(waiting == 0 ? "up to date"
                : plural(waiting, "path", "paths") + " waiting, oldest " + String.format(Locale.ROOT, "%.1f s", oldest));
        if (retrying > 0) parts.add(retrying + " retrying");
        if (paused > 0) parts.add(paused + " paused");
        String line = String.join(", ", parts) + (error == null ? "" : "; last error " + error);
        line = line.replace('\n', ' ');
        return line.length() <= MAX ? line : line.substring(0, MAX - 1) + "…";
    }

    private static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
