package io.replagent.replicate;

import io.replagent.system.Log;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.testing.Trees;
import io.replagent.testing.Watches;
import io.replagent.tree.Change;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline driven directly (marks instead of inotify), pushing to a local directory with real rsync. */
@Tag("e2e")
class TargetPipelineTest {

    @TempDir Path tmp;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<ReplicationStatus.Activity> activities = new ArrayList<>();

    private TargetPipeline pipeline(Watch watch) {
        Log out = new Log(new PrintStream(log, true), null, null);
        ActivityLog tail = new ActivityLog(out, java.time.Clock.systemUTC());
        tail.subscribe(activities::add);
        return new TargetPipeline("w", watch, watch.targets().get(0), new TargetPipeline.Parts(
                new RsyncRunner(Map.of("PATH", System.getenv("PATH"))), new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.5),
                out, tail, null, System::nanoTime,
                java.time.Clock.systemUTC()));
    }

    private Watch watch(Path src, Path dst, Duration delay, int maxDelays) {
        Target local = new Target("local", new Target.Local(dst), Optional.empty(), Optional.empty());
        Watch w = Watches.watch(src, local);
        return new Watch(w.name(), w.source(), w.targets(), w.events(), delay, maxDelays, 2, w.delete(), w.exclude(),
                w.init(), w.rsync(), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
    }

    @Test void maxDelaysFiresABatchWithoutWaitingForTheDelay() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        TargetPipeline p = pipeline(watch(src, dst, Duration.ofHours(1), 3));
        Thread t = new Thread(p::run);
        t.start();
        try {
            for (int i = 0; i < 3; i++) {
                Files.writeString(src.resolve("f" + i), "x");
                p.mark("f" + i, Change.CREATED, false);
            }
            Trees.awaitEqual(src, dst, Duration.ofSeconds(20));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!p.status(System.nanoTime()).state().equals("idle") && System.nanoTime() < deadline) Thread.sleep(10);
            ReplicationStatus.TargetStatus status = p.status(System.nanoTime());
            assertEquals("idle", status.state());
            assertEquals(1, status.batches(), "three changes, one batch");
        } finally {
            p.stop();
            t.join(5000);
        }
    }

    @Test void chainedDirectoryMovesBecomeOneMoveThatReusesTheTargetsCopy() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        for (int i = 0; i < 20; i++) {
            Files.createDirectories(src.resolve("a"));
            Files.write(src.resolve("a/f" + i), new byte[10_000]);
        }
        TargetPipeline p = pipeline(watch(src, dst, Duration.ZERO, 1000));
        p.fullSync(true);
        assertTrue(p.syncNow());
        Files.move(src.resolve("a"), src.resolve("b"));
        p.moved("a", "b");
        Files.move(src.resolve("b"), src.resolve("c"));
        p.moved("b", "c");
        assertTrue(p.syncNow());
        Trees.assertEqual(src, dst);
        List<String> kinds = activities.stream().map(ReplicationStatus.Activity::kind).toList();
        assertEquals(List.of("initial", "move", "deletes"), kinds, log.toString(StandardCharsets.UTF_8));
        assertEquals(0, activities.get(1).files(), "the moved files came from the target's own copy");
    }
}
