package io.replagent.replicate;

import io.replagent.state.Watch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the results of a batch's rsyncs mean, pure: what was delivered, what goes back to the queue (of a partial
 * transfer, only the paths rsync named in its errors), the failure queue's entries, and whether the target retries,
 * pauses or is healthy. A full sync's first pass (--max-delete=0) that skipped deletions gets the guard's verdict:
 * a second pass, or the deletions held.
 */
final class Settlement {

    /**
     * @param worst      the most serious outcome of all the rsyncs
     * @param requeue    entries to put back in the queue (a full batch: the whole tree)
     * @param moves      moves to try again
     * @param delivered  paths delivered: out of the failure queue ("" = a full sync: all of it)
     * @param failed     paths not delivered, with the error ("" = a full sync)
     * @param attention  an alert that does not pause (a full target), or null
     * @param pause      why the target pauses now, or null
     * @param pauseAlert the sentence for it
     * @param deletePass the --max-delete of a full sync's second pass the guard allows, -1 when none is due
     */
    record Settled(RsyncExit worst, List<DirtyTree.Batch> requeue, List<JobPlanner.Move> moves, Set<String> delivered,
                   Map<String, String> failed, String attention, PauseState.Reason pause, String pauseAlert,
                   long deletePass) {}

    private Settlement() {}

    /**
     * @param results one per job, in the jobs' order
     * @param guard   the watch's max_delete (for a full sync's first pass)
     * @param roots   raw absolute roots rsync's error paths may start with (see {@link FailedPaths})
     */
    static Settled settle(List<JobPlanner.Job> jobs, List<RsyncRunner.Result> results, Watch.DeleteGuard guard,
                          List<String> roots) {
        RsyncExit worst = RsyncExit.OK;
        List<DirtyTree.Batch> requeue = new ArrayList<>();
        List<JobPlanner.Move> moves = new ArrayList<>();
        Set<String> delivered = new LinkedHashSet<>();
        Map<String, String> failed = new LinkedHashMap<>();
        String attention = null;
        PauseState.Reason pause = null;
        String pauseAlert = null;
        long deletePass = -1;
        for (int i = 0; i < jobs.size(); i++) {
            JobPlanner.Job job = jobs.get(i);
            if (job.kind().aux()) continue; // only saved bytes or space: the other jobs tell what was delivered
            RsyncRunner.Result r = results.get(i);
            RsyncExit outcome = RsyncExit.classify(r.exit(), r.rawError());
            String error = "rsync exit " + r.exit() + (r.error().isEmpty() ? "" : ": " + lastLine(r.error()));
            boolean firstPass = job.kind() != JobPlanner.Kind.FULL_DELETES && job.argv().contains("--max-delete=0");
            if (firstPass && outcome == RsyncExit.DELETES_REFUSED) {
                long skipped = r.skippedDeletes();
                DeleteGuard.Verdict v = DeleteGuard.fullSync(guard, job.kind() == JobPlanner.Kind.INITIAL, skipped,
                        Math.max(0, r.listed() - r.created()) + skipped);
                if (v.allowed()) {
                    deletePass = v.limit();
                    outcome = RsyncExit.OK;
                } else {
                    pause = PauseState.Reason.MASS_DELETE;
                    pauseAlert = v.held();
                    error = v.held();
                }
            }
            if (outcome.ordinal() > worst.ordinal()) worst = outcome;
            if (outcome == RsyncExit.OK) {
                if (job.delivers().full()) delivered.add("");
                delivered.addAll(job.listed());
                continue;
            }
            Optional<Set<String>> only = outcome == RsyncExit.PARTIAL && !job.kind().full() && job.move() == null
                    ? FailedPaths.of(r.rawError(), job.listed(), roots) : Optional.empty();
            if (job.move() != null) {
                moves.add(job.move());
            } else if (only.isPresent()) {
                List<DirtyTree.Entry> back = new ArrayList<>();
                for (DirtyTree.Entry e : job.delivers().entries()) {
                    if (only.get().contains(e.path())) back.add(e);
                    else delivered.add(e.path());
                }
                requeue.add(new DirtyTree.Batch(false, back, DirtyTree.deletes(back)));
            } else {
                requeue.add(job.delivers());
            }
            if (job.delivers().full()) failed.put("", error);
            for (DirtyTree.Entry e : job.delivers().entries()) {
                if (only.isEmpty() || only.get().contains(e.path())) failed.put(e.path(), error);
            }
            if (outcome == RsyncExit.DELETES_REFUSED && pause == null) {
                pause = PauseState.Reason.MASS_DELETE;
                pauseAlert = DeleteGuard.HELD + "a full sync stopped deleting at max_delete (" + lastLine(r.error()) + ")";
            } else if (outcome == RsyncExit.PERMANENT && pause == null) {
                pause = PauseState.Reason.ERROR;
                pauseAlert = SshExit.classify(r.exit(), r.rawError()).map(k -> k.alert(r.error())).orElse(error);
            } else if (RsyncExit.needsAttention(r.exit(), r.rawError())) {
                attention = error;
            }
        }
        return new Settled(worst, requeue, moves, delivered, failed, attention, pause, pauseAlert, deletePass);
    }

    /** The line of rsync's error output that says most. */
    static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        String line = nl < 0 ? t : t.substring(nl + 1);
        // rsync's own summary lines ("rsync error: ... (code 11)") say less than the cause before them
        if (line.startsWith("rsync error:")) {
            String[] lines = t.split("\n");
            for (int i = lines.length - 2; i >= 0; i--) {
                if (!lines[i].startsWith("rsync error:")) return lines[i].strip() + " / " + line;
            }
        }
        return line;
    }
}
