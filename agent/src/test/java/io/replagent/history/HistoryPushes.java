package io.replagent.history;

import io.replagent.state.Target;
import io.replagent.system.Processes;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pushes with history as the agent sends them (the facts of package-info): whole-tree pushes with --delete,
 * --backup into the batch's absolute backup dir, .agent excluded, items printed; the journal kept in a local segment
 * and uploaded to the target's .agent/journal/. Extra options per push (e.g. --checksum for a same-size rewrite whose
 * mtime was put back).
 */
final class HistoryPushes {

    private final Path source;
    private final Target target;
    private final JournalSpool spool;
    private final TargetRsync rsync;
    private final Processes processes = new Processes();
    private String last;
    final List<String> batches = new ArrayList<>();

    HistoryPushes(Path source, Target target, Path stateDir) throws IOException {
        this.source = source;
        this.target = target;
        this.spool = new JournalSpool(stateDir.resolve("journal"));
        this.rsync = new TargetRsync(target, Map.of());
    }

    /** One batch at the given time; returns its name. */
    String push(Instant at, String... extra) throws IOException {
        String batch = Layout.nextBatch(at, last);
        last = batch;
        batches.add(batch);
        List<String> argv = new ArrayList<>(List.of("rsync", "-a", "--delete", Layout.EXCLUDE, "--backup",
                "--backup-dir=" + Layout.backupDir(target.endpoint(), batch, ""), "--out-format=" + Itemized.OUT_FORMAT));
        argv.addAll(List.of(extra));
        target.passwordFile().ifPresent(p -> argv.add("--password-file=" + p));
        argv.add(source + "/");
        argv.add(target.endpoint().rsyncDestination());
        Processes.Result r = processes.run(argv, Map.of("LANG", "C.UTF-8"), Duration.ofMinutes(2));
        if (!r.ok()) throw new IOException("push failed: " + r.err());
        spool.append(Itemized.entries(batch, "", Itemized.raw(r.out())));
        spool.upload(rsync); // off the hot path in the agent; here after every batch
        return batch;
    }
}
