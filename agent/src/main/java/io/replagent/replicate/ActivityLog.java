package io.replagent.replicate;

import java.time.Clock;
import java.util.function.Consumer;

/** One log line and one live-tail activity per rsync of a batch (or per refused batch). */
final class ActivityLog {

    private final Log log;
    private final Consumer<ReplicationStatus.Activity> sink;
    private final Clock clock;

    ActivityLog(Log log, Consumer<ReplicationStatus.Activity> sink, Clock clock) {
        this.log = log;
        this.sink = sink;
        this.clock = clock;
    }

    void record(String watch, String target, JobPlanner.Job job, RsyncRunner.Result r) {
        int paths = job.delivers().full() ? -1 : job.delivers().entries().size();
        String text = r.exit() == 0 ? null : Settlement.lastLine(r.error());
        String line = String.format("watch %s target %s: %s paths=%s files=%d bytes=%d %.3fs exit=%d%s", watch, target,
                job.kind().label(), paths < 0 ? "all" : String.valueOf(paths), r.files(), r.bytes(), r.seconds(), r.exit(),
                text == null || text.isEmpty() ? "" : " (" + text + ")");
        if (r.exit() == 0 || r.exit() == 24) log.info(line);
        else log.warn(line);
        sink.accept(new ReplicationStatus.Activity(clock.instant(), watch, target, job.kind().label(), paths, r.files(),
                r.bytes(), r.seconds(), r.exit(), text));
    }

    /** Something that ran no rsync (a refused batch, an overflow). */
    void record(String watch, String target, String kind, int paths, String message) {
        sink.accept(new ReplicationStatus.Activity(clock.instant(), watch, target, kind, paths, 0, 0, 0, 0, message));
    }
}
