package io.replagent.replicate;

import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.state.Watch;
import io.replagent.testing.BothBackends;
import io.replagent.testing.RsyncDaemon;
import io.replagent.testing.Trees;
import io.replagent.testing.Watches;
import io.replagent.system.Sysctl;
import io.replagent.state.Target;
import io.replagent.tree.Change;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: real inotify and fanotify (each test that replicates runs on both), real rsync, a real daemon on
 * 127.0.0.1; every test ends with source == target.
 */
@Tag("e2e")
class ReplicationTest {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir Path tmp;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    @AfterEach void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
        System.out.print(log()); // kept by surefire in the test's -output.txt
    }

    private RsyncDaemon daemon(String name) throws IOException {
        RsyncDaemon d = RsyncDaemon.start(Files.createDirectories(tmp.resolve(name)));
        closing.add(d);
        return d;
    }

    private Path source() throws IOException {
        return Files.createDirectories(tmp.resolve("src"));
    }

    private Replication start(State state) throws IOException {
        Replication r = Replication.create(state, Map.of("PATH", System.getenv("PATH")), new PrintStream(logBytes, true));
        r.start();
        closing.add(r::stop);
        Settings.WatchBackend asked = state.settings().watchBackend();
        for (ReplicationStatus.WatchStatus w : r.status().watches()) {
            if (asked != Settings.WatchBackend.AUTO) assertEquals(asked.name().toLowerCase(java.util.Locale.ROOT), w.backend(), w.backendReason());
        }
        return r;
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private static void write(Path file, int size, Random random) throws IOException {
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @BothBackends void initialSyncThenBurstOfThousandsOfFilesAndNewDirectoriesFilledAtOnce(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) write(src.resolve("pre/f" + i), 100, random);
        start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        for (int dir = 0; dir < 40; dir++) {
            for (int f = 0; f < 50; f++) write(src.resolve("burst/d" + dir + "/f" + f), 1000 + f, random);
        }
        for (int chain = 0; chain < 20; chain++) { // the race: a directory filled before its watch can exist
            Path deep = Files.createDirectories(src.resolve("race/m" + chain + "/b/c/d"));
            for (Path p = deep; !p.equals(src.resolve("race")); p = p.getParent()) write(p.resolve("x"), 10, random);
        }
        Trees.awaitEqual(src, d.module(), CONVERGE);
    }

    /** rsync's default quick check compares whole seconds: a same-size rewrite within that second must still arrive. */
    @BothBackends void sameSizeRewriteWithinTheSameSecondArrives(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Path file = src.resolve("churn.txt");
        Files.writeString(file, "version-1");
        java.nio.file.attribute.FileTime second = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-01T00:00:00.100Z"));
        Files.setLastModifiedTime(file, second);
        start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        Files.writeString(file, "version-2");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-01T00:00:00.600Z")));
        await(() -> {
            try {
                return Files.readString(d.module().resolve("churn.txt")).equals("version-2");
            } catch (IOException e) {
                return false;
            }
        }, "the rewrite within the same second");
    }

    @BothBackends void renamedDirectoryIsNotSentAgain(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Random random = new Random(2);
        for (int i = 0; i < 300; i++) write(src.resolve("top/d" + (i % 10) + "/f" + i), 16_384, random);
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        await(() -> r.status().watches().get(0).targets().get(0).state().equals("idle"), "idle after the initial sync");
        long before = r.status().watches().get(0).targets().get(0).bytesSent();
        Files.move(src.resolve("top"), src.resolve("top2"));
        Files.move(src.resolve("top2/d1/f1"), src.resolve("top2/d1/renamed file"));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        await(() -> r.status().watches().get(0).targets().get(0).state().equals("idle"), "idle after the rename");
        long sent = r.status().watches().get(0).targets().get(0).bytesSent() - before;
        long data = 300L * 16_384;
        assertTrue(sent < data / 20, "a renamed tree of " + data + " bytes re-sent " + sent + " bytes\n" + log());
        await(() -> log().contains("move paths=1"), "the move's line (logged just after the batch settles)");
    }

    @BothBackends void awkwardNamesArriveAsTheyAre(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        // printf writes the raw bytes: a newline, a leading dash, wildcards, and \377 (not UTF-8)
        Process p = new ProcessBuilder("/bin/sh", "-c", "cd \"$1\" && printf x > 'with space' && printf x > \"$(printf 'new\\nline')\""
                + " && printf x > '-dash' && printf x > '--delete' && printf x > 'star*?[ab]' && mkdir \"$(printf 'bad\\377dir')\""
                + " && printf y > \"$(printf 'bad\\377dir/f\\376')\" && printf z > 'ünïcode'", "sh", src.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        Trees.awaitEqual(src, d.module(), CONVERGE);
        assertEquals(7, Trees.countFiles(d.module()));
        // renames whose names argv cannot carry are sent as new directories instead
        Process mv = new ProcessBuilder("/bin/sh", "-c", "cd \"$1\" && mv \"$(printf 'bad\\377dir')\" \"$(printf 'ren\\375 *')\""
                + " && mkdir d && mv \"$(printf 'new\\nline')\" d/", "sh", src.toString()).inheritIO().start();
        assertEquals(0, mv.waitFor());
        Trees.awaitEqual(src, d.module(), CONVERGE);
    }

    @BothBackends void deletesFollowTheDeleteMode(Settings.WatchBackend backend) throws Exception {
        for (Watch.DeleteMode mode : Watch.DeleteMode.values()) {
            RsyncDaemon d = daemon("d-" + mode);
            Path src = Files.createDirectories(tmp.resolve("src-" + mode));
            Files.writeString(src.resolve("kept"), "k");
            Files.writeString(src.resolve("deleted-live"), "d");
            Files.createDirectories(src.resolve("dir/sub"));
            Files.writeString(src.resolve("dir/sub/f"), "f");
            Files.writeString(d.module().resolve("only-on-target"), "old");
            Watch w = Watches.withDelete(Watches.watch(src, d.target("t")), mode);
            Replication r = start(Watches.state(tmp.resolve("s-" + mode), backend, w));
            await(() -> Files.exists(d.module().resolve("dir/sub/f")), "initial sync");
            await(() -> r.status().watches().get(0).targets().get(0).lastSuccess() != null, "initial sync done");
            assertEquals(!mode.atStartup(), Files.exists(d.module().resolve("only-on-target")), mode + " at startup");
            Files.delete(src.resolve("deleted-live"));
            Files.delete(src.resolve("dir/sub/f"));
            Files.delete(src.resolve("dir/sub"));
            Files.writeString(src.resolve("marker"), "m");
            await(() -> Files.exists(d.module().resolve("marker")), "marker after the deletes");
            await(() -> r.status().watches().get(0).targets().get(0).state().equals("idle"), "idle");
            assertEquals(!mode.whileRunning(), Files.exists(d.module().resolve("deleted-live")), mode + " while running");
            assertEquals(!mode.whileRunning(), Files.exists(d.module().resolve("dir/sub")), mode + " while running (dir)");
            r.stop();
        }
    }

    @BothBackends void excludedPathsAreNeitherWatchedNorSent(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Files.createDirectories(src.resolve("cache/deep"));
        Replication r = start(Watches.state(tmp, backend, Watches.withExclude(Watches.watch(src, d.target("t")),
                List.of("cache/", "*.swp", ".*"))));
        assertEquals(backend == Settings.WatchBackend.INOTIFY ? 1 : 0, r.status().watches().get(0).watchedDirectories(),
                "inotify watches the root only; fanotify's mark needs no watch");
        Files.writeString(src.resolve("cache/deep/x"), "x");
        Files.writeString(src.resolve("a.swp"), "x");
        Files.writeString(src.resolve(".hidden"), "x");
        Files.writeString(src.resolve("kept"), "x");
        await(() -> Files.exists(d.module().resolve("kept")), "kept");
        await(() -> r.status().watches().get(0).targets().get(0).state().equals("idle"), "idle");
        try (var s = Files.list(d.module())) {
            assertEquals(List.of(".agent", "kept"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "only the kept file, beside the target's reserved directory");
        }
    }

    @BothBackends void daemonKilledMidStreamThenBackTheBacklogDrains(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            write(src.resolve("b/d" + (i % 20) + "/f" + i), 20_000, random);
            if (i == 100) d.stop();
        }
        await(() -> r.status().watches().get(0).targets().get(0).retries() > 0, "a retry");
        assertTrue(r.status().watches().get(0).targets().get(0).failureCount() > 0);
        d.start();
        r.retryNow(null, null, false);
        Trees.awaitEqual(src, d.module(), CONVERGE);
        await(() -> r.status().watches().get(0).targets().get(0).failureCount() == 0, "failure queue empty");
    }

    @BothBackends void oneTargetDownNeverStallsTheOther(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon up = daemon("up");
        RsyncDaemon down = daemon("down");
        down.stop();
        Path src = source();
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, up.target("up"), down.target("down"))));
        for (int i = 0; i < 50; i++) Files.writeString(src.resolve("f" + i), "x" + i);
        Trees.awaitEqual(src, up.module(), CONVERGE);
        await(() -> r.status().watches().get(0).targets().get(1).retries() > 0, "the down target retries");
        assertFalse(r.status().watches().get(0).targets().get(1).state().equals("paused"));
        down.start();
        r.retryNow("w", "down", false);
        Trees.awaitEqual(src, down.module(), CONVERGE);
    }

    @BothBackends void permanentErrorPausesTheTargetWithAnAlert(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Files.writeString(d.passwordFile(), "wrong\n");
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        await(() -> r.status().watches().get(0).targets().get(0).state().equals("paused"), "paused");
        String alert = r.status().watches().get(0).targets().get(0).alert();
        assertTrue(alert.contains("exit 5") && alert.contains("auth failed"), alert);
        assertFalse(log().contains("wrong"), "the password never reaches the log");
        Files.writeString(d.passwordFile(), d.password() + "\n");
        r.retryNow("w", "t", false); // the operator fixed the cause: a retry ends the error's pause
        Files.writeString(src.resolve("after"), "a");
        Trees.awaitEqual(src, d.module(), CONVERGE);
        await(() -> r.status().watches().get(0).targets().get(0).alert() == null, "the alert ends with the success");
        r.pause("w", "t");
        r.retryNow("w", "t", false);
        assertEquals("paused", r.status().watches().get(0).targets().get(0).state(), "an operator's pause stays");
    }

    @BothBackends void undeliveredPathsSurviveARestart(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Watch w = Watches.withInit(Watches.watch(src, d.target("t")), false);
        Replication first = start(Watches.state(tmp, backend, w));
        d.stop();
        Files.writeString(src.resolve("while-down"), "x");
        await(() -> first.status().watches().get(0).targets().get(0).retries() > 0, "a failed try");
        first.stop();
        Path queue = tmp.resolve("state/queue/w@t");
        assertTrue(Files.exists(queue), "queue file written");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(queue)));
        d.start();
        start(Watches.state(tmp, backend, w)); // init: false, so only the saved queue can bring the file over
        Trees.awaitEqual(src, d.module(), CONVERGE);
    }

    @BothBackends void massDeleteIsRefusedAndPausesUntilResumed(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        for (int i = 0; i < 20; i++) Files.writeString(src.resolve("f" + i), "x");
        Replication r = start(Watches.state(tmp, backend, Watches.withMaxDelete(Watches.watch(src, d.target("t")),
                new Watch.DeleteGuard(5, 0))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        for (int i = 0; i < 10; i++) Files.delete(src.resolve("f" + i));
        await(() -> r.status().watches().get(0).targets().get(0).state().equals("paused"), "paused by the guard");
        ReplicationStatus.TargetStatus held = r.status().watches().get(0).targets().get(0);
        assertTrue(held.alert().startsWith("mass delete held: 10 deletes"), held.alert());
        assertEquals("mass_delete", held.pauseReason());
        assertEquals(20, Trees.countFiles(d.module()));
        r.resume("w", "t"); // resuming alone does not confirm: still held
        assertEquals("mass_delete", r.status().watches().get(0).targets().get(0).pauseReason());
        r.retryNow("w", "t", false);
        assertEquals("mass_delete", r.status().watches().get(0).targets().get(0).pauseReason(), "nor does a plain retry");
        List<ReplicationStatus.Activity> tail = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = r.onActivity(tail::add)) {
            r.retryNow("w", "t", true);
            Trees.awaitEqual(src, d.module(), CONVERGE);
            await(() -> tail.stream().anyMatch(a -> a.kind().equals("deletes") && a.exit() == 0), "the deletes in the live tail");
        }
    }

    @BothBackends void anEmptySourceAtStartDoesNotWipeTheTarget(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source(); // empty, as an unmounted source's mount point is
        for (int i = 0; i < 20; i++) Files.writeString(d.module().resolve("kept" + i), "backed up");
        Replication r = start(Watches.state(tmp, backend, Watches.withMaxDelete(Watches.watch(src, d.target("t")),
                new Watch.DeleteGuard(5, 0))));
        await(() -> r.status().watches().get(0).targets().get(0).state().equals("paused"), "paused by the guard");
        assertEquals("mass delete held: the initial sync would delete 20 entries on the target, max_delete allows 5;"
                + " nothing was deleted", r.status().watches().get(0).targets().get(0).alert());
        assertEquals(20, Trees.countFiles(d.module()), "held, not executed: nothing was deleted");
        r.retryNow("w", "t", true); // the operator confirms: the source really is empty
        Trees.awaitEqual(src, d.module(), CONVERGE);
    }

    private static ReplicationStatus.TargetStatus target(Replication r) {
        return r.status().watches().get(0).targets().get(0);
    }

    private static Target local(Path dir) {
        return new Target("t", new Target.Local(dir), Optional.empty(), Optional.empty());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }

    /** #10 defect 1: a rewrite that puts size and mtime back (cp -p, tar -x, touch -r) is still sent: an event named it. */
    @BothBackends void aRewriteThatKeepsSizeAndMtimeIsSentBecauseAnEventNamedIt(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Path file = src.resolve("same-size");
        Files.write(file, "A".repeat(64).getBytes(StandardCharsets.US_ASCII));
        start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(file);
        Files.write(file, "B".repeat(64).getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(file, mtime);
        Trees.awaitEqual(src, d.module(), CONVERGE);
        assertEquals("B".repeat(64), Files.readString(d.module().resolve("same-size")));
    }

    /** #10 defect 3: one file the target refuses (immutable there) goes back to the queue alone, not its whole list. */
    @BothBackends void aPartialTransferRequeuesOnlyTheFileRsyncNamed(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        for (int i = 0; i < 300; i++) Files.writeString(src.resolve("f" + i), "v1 " + i);
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, local(dst))));
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).state().equals("idle"), "idle");
        run("chattr", "+i", dst.resolve("f7").toString());
        try {
            for (int i = 0; i < 300; i++) Files.writeString(src.resolve("f" + i), "version 2 of " + i);
            await(() -> {
                for (int i = 0; i < 300; i++) {
                    try {
                        if (i != 7 && !Files.readString(dst.resolve("f" + i)).equals("version 2 of " + i)) return false;
                    } catch (IOException e) {
                        return false;
                    }
                }
                return target(r).failureCount() > 0 && target(r).state().equals("retrying");
            }, "the other 299 delivered, the refused file in the failure queue");
            ReplicationStatus.TargetStatus t = target(r);
            assertEquals(1, t.failureCount(), t.failures().toString());
            assertEquals("f7", t.failures().get(0).path());
            assertEquals(1, t.queueDepth(), "only f7 is pending again");
        } finally {
            run("chattr", "-i", dst.resolve("f7").toString());
        }
        r.retryNow(null, null, false);
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).failureCount() == 0, "the failure queue empties");
    }

    static Stream<Arguments> backendsAndTargets() {
        return Stream.of(Settings.WatchBackend.INOTIFY, Settings.WatchBackend.FANOTIFY)
                .flatMap(b -> Stream.of(Arguments.of(b, "daemon"), Arguments.of(b, "local")));
    }

    /** A daemon's module or a local directory, as the test's target; returns where its files are. */
    private Path target(String kind, Target[] target) throws IOException {
        if (kind.equals("daemon")) {
            RsyncDaemon d = daemon("d");
            target[0] = d.target("t");
            return d.module();
        }
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        target[0] = local(dst);
        return dst;
    }

    /**
     * #10 defect 4: files renamed one by one (in their directory, into another one, 600 in one directory, whose marks
     * collapse into it; chunks of one batch over several rsyncs) are built from the target's copy of their old names,
     * exactly: here all of them share size and mtime, which --fuzzy's choice of basis gets wrong. rsync's own --stats
     * (summed in status) count the bytes; the renames are no mass delete; the link phase's copies are cleaned up.
     */
    @ParameterizedTest @MethodSource("backendsAndTargets")
    void renamedFilesReuseTheTargetsCopyExactly(Settings.WatchBackend backend, String kind) throws Exception {
        Path src = source();
        Target[] target = new Target[1];
        Path dst = target(kind, target);
        Random random = new Random(7);
        java.nio.file.attribute.FileTime second = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
        List<String> names = new ArrayList<>();
        for (String dir : List.of("a", "b", "c")) for (int i = 0; i < 250; i++) names.add(dir + "/f" + i);
        for (int i = 0; i < 600; i++) names.add("big/f" + i);
        for (String n : names) {
            write(src.resolve(n), 16 * 1024, random);
            Files.setLastModifiedTime(src.resolve(n), second);
        }
        Watch w = Watches.withMaxDelete(Watches.watch(src, target[0]), new Watch.DeleteGuard(10, 0));
        Replication r = start(Watches.state(tmp, backend, w));
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).state().equals("idle"), "idle after the initial sync");
        long before = target(r).bytesSent();
        for (String n : names) {
            String to = n.startsWith("c/") ? "a/from-c-" + n.substring(2) : n.replace("/f", "/renamed-");
            Files.move(src.resolve(n), src.resolve(to));
        }
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).state().equals("idle"), "idle after the renames");
        long sent = target(r).bytesSent() - before;
        long data = names.size() * 16L * 1024;
        assertTrue(sent < data / 20, "renamed files of " + data + " bytes sent " + sent + " bytes\n" + log());
        assertTrue(log().contains(" link paths=") && log().contains(" cleanup paths="), log());
        assertNull(target(r).pauseReason(), "1,350 renames with max_delete 10: " + target(r).alert());
        try (Stream<Path> left = Files.list(dst.resolve(".agent/tmp/renames"))) {
            assertEquals(List.of(), left.toList(), "the link phase's copies are gone");
        }
    }

    /**
     * Renames whose old name on the target is not what the source had (changed there keeping size and mtime, deleted
     * there), chains, renames across directories, onto an existing name, out of and into the tree, awkward names:
     * the mirror ends equal to the source, byte for byte (the link phase can only ever cost bytes).
     */
    @ParameterizedTest @MethodSource("backendsAndTargets")
    void renamesNeverPutWrongBytesInTheMirror(Settings.WatchBackend backend, String kind) throws Exception {
        Path src = source();
        Target[] target = new Target[1];
        Path dst = target(kind, target);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Random random = new Random(8);
        for (String n : List.of("drifted", "missing", "chain-a", "d1/x", "onto", "existing", "out", "-dash\nline", "kept")) {
            write(src.resolve(n), 128 * 1024, random);
        }
        write(outside.resolve("in"), 128 * 1024, random);
        run("/bin/sh", "-c", "head -c 131072 /dev/urandom > \"$1/$(printf 'bad\\377')\"", "sh", src.toString());
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, target[0])));
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).state().equals("idle"), "idle after the initial sync");
        byte[] other = new byte[128 * 1024];
        random.nextBytes(other);
        Files.write(dst.resolve("drifted"), other);
        Files.setLastModifiedTime(dst.resolve("drifted"), Files.getLastModifiedTime(src.resolve("drifted")));
        Files.delete(dst.resolve("missing"));
        Files.move(src.resolve("drifted"), src.resolve("drifted2"));
        Files.move(src.resolve("missing"), src.resolve("missing2"));
        Files.move(src.resolve("chain-a"), src.resolve("chain-b"));
        Files.move(src.resolve("chain-b"), src.resolve("chain-c"));
        Files.createDirectories(src.resolve("d2"));
        Files.move(src.resolve("d1/x"), src.resolve("d2/y"));
        Files.move(src.resolve("onto"), src.resolve("existing"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(src.resolve("out"), outside.resolve("out"));
        Files.move(outside.resolve("in"), src.resolve("in"));
        Files.move(src.resolve("-dash\nline"), src.resolve("--delete *?[x]"));
        run("/bin/sh", "-c", "cd \"$1\" && mv \"$(printf 'bad\\377')\" \"$(printf 'bad\\376 *')\"", "sh", src.toString());
        Trees.awaitEqual(src, dst, CONVERGE);
        assertEquals(Files.readAllBytes(src.resolve("drifted2")).length, Files.readAllBytes(dst.resolve("drifted2")).length);
        assertFalse(java.util.Arrays.equals(other, Files.readAllBytes(dst.resolve("drifted2"))), "not the target's drifted bytes");
        await(() -> target(r).state().equals("idle"), "idle after the renames");
        assertNull(target(r).pauseReason(), target(r).alert());
    }

    /**
     * With history, a renamed file built from its old name's copy is journaled as created (rsync prints the copy only at
     * -ii) and the old name's copy is kept: a restore as of before the rename has the old name, not the new one.
     */
    @Test void withHistoryARenamedFileIsJournaledAsCreatedAndItsOldNameKept() throws Exception {
        Path src = source();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Random random = new Random(9);
        for (int i = 0; i < 20; i++) write(src.resolve("dir/f" + i), 64 * 1024, random);
        Target kept = new Target("t", new Target.Local(dst), Optional.empty(), Optional.empty(),
                Optional.of(io.replagent.state.Retention.FOREVER));
        Replication r = start(Watches.state(tmp, Watches.watch(src, kept)));
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).state().equals("idle"), "idle after the initial sync");
        long before = target(r).bytesSent();
        for (int i = 0; i < 20; i++) Files.move(src.resolve("dir/f" + i), src.resolve("dir/renamed-" + i));
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).state().equals("idle"), "idle after the renames");
        assertTrue(target(r).bytesSent() - before < 20 * 64 * 1024 / 20, "sent " + (target(r).bytesSent() - before) + "\n" + log());
        List<io.replagent.history.Journal.Entry> journal = new ArrayList<>();
        try (Stream<Path> segments = Stream.concat(Files.walk(tmp.resolve("state/journal")), Files.walk(dst.resolve(".agent"))))  {
            for (Path segment : segments.filter(p -> p.toString().endsWith(".log")).toList()) {
                journal.addAll(io.replagent.history.Journal.decode(Files.readAllBytes(segment)).entries());
            }
        }
        for (int i = 0; i < 20; i++) {
            String old = "dir/f" + i;
            String renamed = "dir/renamed-" + i;
            io.replagent.history.Journal.Entry created = journal.stream().filter(e -> e.path().equals(renamed)).findFirst()
                    .orElseThrow(() -> new AssertionError(renamed + " not journaled: " + journal));
            assertEquals(io.replagent.history.Journal.Kind.CREATED, created.kind());
            assertTrue(journal.contains(new io.replagent.history.Journal.Entry(created.batch(),
                    io.replagent.history.Journal.Kind.DELETED, old, false)), old + " deleted in the same batch: " + journal);
            assertTrue(Files.isRegularFile(dst.resolve(".agent/history/" + created.batch() + "/" + old)), "the old name's copy is kept");
        }
        assertTrue(journal.stream().noneMatch(e -> e.path().startsWith(".agent")), journal.toString());
    }

    /**
     * With history, a renamed directory whose files the move linked whole is deleted at its old name keeping no copies:
     * the journal has a moved line per file (written before the delete), and a restore as of before the rename has the
     * old tree, from the new names' inodes.
     */
    @Test void withHistoryADirectoryRenamedWholeKeepsNoCopiesAndRestoresFromItsNewNames() throws Exception {
        Path src = source();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Random random = new Random(11);
        for (int i = 0; i < 40; i++) write(src.resolve("tree/sub" + i % 4 + "/f" + i), 1000 + i, random);
        Target kept = new Target("t", new Target.Local(dst), Optional.empty(), Optional.empty(),
                Optional.of(io.replagent.state.Retention.FOREVER));
        Replication r = start(Watches.state(tmp, Watches.watch(src, kept)));
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).state().equals("idle"), "idle after the initial sync");
        Path before = tmp.resolve("before");
        Trees.copy(src, before);
        Thread.sleep(50);
        java.time.Instant beforeMove = java.time.Instant.now();
        Thread.sleep(50);
        Files.move(src.resolve("tree"), src.resolve("moved"));
        Trees.awaitEqual(src, dst, CONVERGE);
        await(() -> target(r).state().equals("idle"), "idle after the rename");
        try (Stream<Path> all = Files.walk(dst.resolve(".agent/history"))) {
            assertEquals(List.of(), all.filter(Files::isRegularFile).toList(), "no copies kept\n" + log());
        } catch (java.nio.file.NoSuchFileException none) {
            // no batch kept anything yet: no history directory either
        }
        Map<String, byte[]> segments = io.replagent.history.JournalSpool.of(tmp.resolve("state"), "w", "t").segments();
        List<io.replagent.history.Journal.Entry> moved = io.replagent.history.Journal.read(segments).entries().stream()
                .filter(e -> e.kind() == io.replagent.history.Journal.Kind.MOVED).toList();
        assertEquals(40, moved.size(), moved.toString());
        for (io.replagent.history.Journal.Entry e : moved) assertEquals("moved" + e.path().substring("tree".length()), e.to());
        Path to = tmp.resolve("restored");
        io.replagent.history.Restore.run(io.replagent.history.HistoryStore.of(kept, Map.of()), segments, beforeMove, List.of(),
                to, (f, b) -> {});
        Trees.assertEqual(before, to);
        Trees.assertEqual(to, before);
    }

    /** #10 defect 5: drift on the target (changed keeping size and mtime, deleted, added) is found, then repaired. */
    @BothBackends void anAuditFindsDriftOnTheTargetAndRepairsIt(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        for (int i = 0; i < 10; i++) Files.writeString(src.resolve("f" + i), "content " + i);
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        Path changed = d.module().resolve("f1");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(changed);
        Files.writeString(changed, "CONTENT 1");
        Files.setLastModifiedTime(changed, mtime);
        Files.delete(d.module().resolve("f2"));
        Files.writeString(d.module().resolve("extra"), "x");
        ReplicationStatus.AuditStatus found = r.audit("w", null, false).get("w/t");
        assertEquals(List.of(1L, 1L, 1L), List.of(found.missing(), found.differs(), found.extra()), found.toString());
        assertEquals("differences", found.result());
        assertEquals(List.of("differs f1", "extra extra", "missing f2"), found.first().stream().sorted().toList());
        assertFalse(found.repaired());
        assertEquals("differences", target(r).lastAudit().result(), "status shows the last audit");
        assertTrue(r.statusJson().contains("\"last_audit\":{\"at\":"), r.statusJson());
        assertTrue(r.audit("w", "t", true).get("w/t").repaired());
        Trees.awaitEqual(src, d.module(), CONVERGE);
        await(() -> r.audit("w", "t", false).get("w/t").result().equals("clean"), "a clean audit");
    }

    /** #11 item 5: a lost root pauses its targets; when a directory is back, the full sync is held if it would wipe. */
    @BothBackends void aLostSourcePausesAndItsReturnIsAGuardedFullSync(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        for (int i = 0; i < 20; i++) Files.writeString(src.resolve("f" + i), "backed up " + i);
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        r.listener("w").rootLost("source " + src + " was moved away");
        assertEquals("source_lost", target(r).pauseReason());
        assertTrue(target(r).alert().contains("was moved away"), target(r).alert());
        assertEquals("source " + src + " was moved away", r.status().watches().get(0).error());
        for (int i = 0; i < 20; i++) Files.delete(src.resolve("f" + i)); // what is at the path now is empty
        await(() -> target(r).queueDepth() > 0, "the deletes queue");
        r.resume("w", "t");
        assertEquals("source_lost", target(r).pauseReason(), "an operator's resume does not end it");
        r.listener("w").rootBack();
        await(() -> "mass_delete".equals(target(r).pauseReason()), "the full sync held by the default guard");
        assertEquals(20, Trees.countFiles(d.module()), "nothing was deleted");
        assertTrue(target(r).alert().startsWith("mass delete held: a full sync would delete 20 of"), target(r).alert());
        assertNull(r.status().watches().get(0).error());
        r.retryNow("w", "t", true);
        Trees.awaitEqual(src, d.module(), CONVERGE);
    }

    /** A receiver killed mid-file leaves its temp file in the target's .agent/tmp/, never in the mirror; it is cleared. */
    @BothBackends void aReceiverKilledMidFileLeavesNoStrayFileInTheMirror(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Watch slow = Watches.withRsync(Watches.watch(src, d.target("t")),
                new Watch.RsyncOptions(false, 1000, Duration.ZERO, false, List.of()));
        Replication r = start(Watches.state(tmp, backend, slow));
        await(() -> target(r).lastSuccess() != null, "the initial sync");
        write(src.resolve("big/blob"), 4_000_000, new Random(5));
        Path temp = d.module().resolve(".agent/tmp");
        await(() -> {
            try (var s = Files.list(temp)) {
                return s.findAny().isPresent();
            } catch (IOException e) {
                return false;
            }
        }, "the receiver writing its temp file");
        d.stop(); // SIGKILL to the daemon and its receivers
        try (var s = Files.list(temp)) {
            assertTrue(s.findAny().isPresent(), "the killed receiver left its temp file");
        }
        d.start();
        r.retryNow(null, null, false);
        Trees.awaitEqual(src, d.module(), CONVERGE);
        try (var s = Files.list(temp)) {
            assertEquals(List.of(), s.toList(), "junk cleared before the retry");
        }
    }

    /** #11 item 10: a full state directory keeps the last good queue, says so, leaks nothing, and loses no change. */
    @BothBackends void aFullStateDirectoryLosesNoQueuedChange(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Path stateDir = Files.createDirectories(tmp.resolve("state"));
        run("mount", "-t", "tmpfs", "-o", "size=512k", "agent-test-state", stateDir.toString());
        closing.add(() -> run("umount", "-l", stateDir.toString()));
        Watch w = Watches.withInit(Watches.watch(src, d.target("t")), false);
        State state = Watches.state(tmp, backend, w);
        Replication first = start(state);
        d.stop();
        for (int i = 0; i < 300; i++) Files.writeString(src.resolve("before-full-" + i), "x");
        Path queue = stateDir.resolve("queue/w@t");
        await(() -> Files.exists(queue), "the queue saved while the target is down");
        Process fill = new ProcessBuilder("dd", "if=/dev/zero", "of=" + stateDir.resolve("filler"), "bs=4k").start();
        fill.waitFor();
        for (int i = 0; i < 200; i++) Files.writeString(src.resolve("after-full-" + i), "y");
        await(() -> String.valueOf(target(first).alert()).contains("cannot save the queue"), "an alert while saves fail");
        first.stop();
        try (var s = Files.list(queue.getParent())) {
            assertEquals(List.of(queue), s.toList(), "no temp file left");
        }
        d.start();
        start(state); // init: false: only the queue can bring the 500 files over
        Trees.awaitEqual(src, d.module(), CONVERGE);
    }

    /** Through the shell: in this sandbox a JVM write to /proc/sys keeps only its first byte. */
    private static void sysctl(Path file, String value) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "echo \"$1\" > \"$2\"", "sh", value, file.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "write " + file);
    }

    @Test void queueOverflowBecomesAFullSyncAndNothingIsLost() throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Path limit = Path.of("/proc/sys/fs/inotify/max_queued_events");
        String saved = new Sysctl(Sysctl.PROC_SYS).read("fs.inotify.max_queued_events").orElseThrow().toString();
        Replication r;
        sysctl(limit, "64"); // read at inotify_init: restored right after
        try {
            r = start(Watches.state(tmp, Settings.WatchBackend.INOTIFY, Watches.watch(src, d.target("t"))));
        } finally {
            sysctl(limit, saved);
        }
        assertEquals(saved, new Sysctl(Sysctl.PROC_SYS).read("fs.inotify.max_queued_events").orElseThrow().toString());
        Random random = new Random(4);
        for (int round = 0; round < 20 && r.status().watches().get(0).overflows() == 0; round++) {
            for (int i = 0; i < 500; i++) write(src.resolve("o/d" + round + "/f" + i), 100, random);
        }
        assertTrue(r.status().watches().get(0).overflows() > 0, "an overflow happened");
        Trees.awaitEqual(src, d.module(), CONVERGE);
        assertTrue(log().contains("overflow"), log());
    }

    @BothBackends void periodicFullSyncRepairsTheTargetAndTheStatusFileIsKept(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Files.writeString(src.resolve("f"), "content");
        Replication r = start(Watches.state(tmp, backend, Watches.withFullSyncInterval(Watches.watch(src, d.target("t")), Duration.ofMillis(300))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        Files.delete(d.module().resolve("f")); // behind the agent's back: only a full sync notices
        Trees.awaitEqual(src, d.module(), CONVERGE);
        Path status = tmp.resolve("status.json");
        await(() -> Files.exists(status), "status file");
        String json = Files.readString(status);
        assertTrue(r.statusJson().contains("\"name\":\"w\""));
        assertTrue(json.contains("\"name\":\"w\"") && json.contains("\"destination\":\"rsync://agent@127.0.0.1:" + d.port()), json);
    }

    @BothBackends void daemonAtItsConnectionLimitIsRetriedNotPaused(Settings.WatchBackend backend) throws Exception {
        RsyncDaemon d = RsyncDaemon.start(Files.createDirectories(tmp.resolve("d")), 1);
        closing.add(d);
        Path big = Files.write(tmp.resolve("big"), new byte[4_000_000]);
        // a slow transfer holds the module's only connection
        Process hog = new ProcessBuilder("rsync", "--bwlimit=50", "--password-file=" + d.passwordFile(), big.toString(),
                "rsync://" + RsyncDaemon.USER + "@127.0.0.1:" + d.port() + "/" + RsyncDaemon.MODULE + "/hog")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("hog.out").toFile()).start();
        closing.add(hog::destroyForcibly);
        Path src = source();
        Files.writeString(src.resolve("f"), "x");
        await(() -> hasTempFile(d.module(), ".hog."), "the slow transfer holds the connection");
        Replication r = start(Watches.state(tmp, backend, Watches.watch(src, d.target("t"))));
        await(() -> r.status().watches().get(0).targets().get(0).retries() > 0, "a retry");
        ReplicationStatus.TargetStatus t = r.status().watches().get(0).targets().get(0);
        assertTrue(t.failures().get(0).error().contains("max connections"), t.failures().toString());
        assertFalse(t.state().equals("paused"));
        hog.destroyForcibly().waitFor();
        // the daemon's side of the killed transfer may hold the slot a while longer: wait until a connection is served
        await(() -> r.probeTargets().values().stream().allMatch(java.util.Optional::isEmpty), "the slot is free");
        r.retryNow(null, null, false);
        await(() -> Files.exists(d.module().resolve("f")), "delivered once the slot is free");
    }

    /** rsync writes into a temp file named .NAME.XXXXXX until the transfer ends. */
    private static boolean hasTempFile(Path dir, String prefix) {
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            return false;
        }
    }
}
