package io.replagent.watch;

import io.replagent.state.Settings;
import io.replagent.testing.ScratchMount;
import io.replagent.testing.WatchBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both backends against the real kernel: real directories written, moved, removed, replaced, a tmpfs unmounted.
 * The listener records what the watcher reports.
 */
@Tag("e2e")
class RootWatcherTest {

    @TempDir Path tmp;
    private final Recorder seen = new Recorder();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Watcher watcher;

    @AfterEach void stop() throws Exception {
        if (watcher != null) watcher.close();
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    private Watcher start(Settings.WatchBackend backend, Path source, List<String> exclude) throws IOException {
        WatchBackends.assume(backend);
        watcher = Watchers.open(source, exclude, Set.of(), backend, seen);
        watcher.start("test-watcher");
        assertEquals(backend.name().toLowerCase(Locale.ROOT), watcher.backend(), watcher.backendReason());
        return watcher;
    }

    private Path source() throws IOException {
        return Files.createDirectories(tmp.resolve("src"));
    }

    private ScratchMount tmpfs(Path dir) throws IOException {
        ScratchMount m = ScratchMount.tmpfs(dir);
        closing.add(m);
        return m;
    }

    /** inotify holds one watch per directory; fanotify none. */
    private static int watches(Settings.WatchBackend backend, int directories) {
        return backend == Settings.WatchBackend.INOTIFY ? directories : 0;
    }

    private void awaitWatched(int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (watcher.watchedDirectories() != expected && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertEquals(expected, watcher.watchedDirectories());
    }

    /**
     * Makes a marker directory in the watched tree (one event on either backend) and waits for it: everything the
     * watcher saw before is recorded, and returned.
     */
    private List<String> settle(Path root, String marker) throws Exception {
        Files.createDirectory(root.resolve(marker));
        seen.await("CREATED dir " + marker);
        return seen.take();
    }

    private static void removeTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void filesDirectoriesAndTheNewDirectoryRace(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        start(backend, src, List.of());
        Files.writeString(src.resolve("f"), "x"); // fanotify may merge create, modify and close into one event
        seen.await("CREATED f");
        seen.take();
        Files.writeString(src.resolve("f"), "y");
        seen.await("MODIFIED f");
        Files.createDirectories(src.resolve("n/a/b")); // filled before any watch on it can exist
        Files.writeString(src.resolve("n/a/b/early"), "x");
        seen.await("CREATED dir n");
        awaitWatched(watches(backend, 4));
        Files.writeString(src.resolve("n/a/b/late"), "x");
        seen.await("CREATED n/a/b/late");
        Files.delete(src.resolve("f"));
        seen.await("DELETED f");
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void movesArePairedAndMovesOutAndInBecomeDeletesAndCreates(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(src.resolve("top/sub"));
        Files.writeString(src.resolve("file"), "x");
        start(backend, src, List.of());
        Files.move(src.resolve("top"), src.resolve("top2"));
        seen.await("MOVED top -> top2");
        Files.writeString(src.resolve("top2/sub/after"), "x");
        seen.await("CREATED top2/sub/after");
        Files.move(src.resolve("file"), src.resolve("renamed"));
        seen.await("RENAMED file -> renamed");
        Files.move(src.resolve("top2"), outside.resolve("top2"));
        seen.await("DELETED dir top2");
        Files.writeString(outside.resolve("top2/sub/gone"), "x"); // no longer in the tree
        Files.move(outside.resolve("top2"), src.resolve("back"));
        seen.await("CREATED dir back");
        awaitWatched(watches(backend, 3));
        Files.writeString(src.resolve("back/sub/in"), "x");
        seen.await("CREATED back/sub/in");
        // fanotify resolves a directory where it is when the event is read: back/sub/gone (it is there now), never top2/…
        assertTrue(seen.lines().stream().noneMatch(l -> l.contains("top2/sub/gone")), seen.lines().toString());
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void excludedDirectoriesAreNotWatched(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        Files.createDirectories(src.resolve("cache/deep"));
        Files.createDirectories(src.resolve("kept"));
        start(backend, src, List.of("cache/", "*.tmp"));
        assertEquals(watches(backend, 2), watcher.watchedDirectories());
        Files.writeString(src.resolve("cache/deep/x"), "x");
        Files.writeString(src.resolve("a.tmp"), "x");
        Files.writeString(src.resolve("kept/y"), "x");
        seen.await("CREATED kept/y");
        assertTrue(seen.lines().stream().noneMatch(s -> s.contains("cache") || s.contains("a.tmp")), seen.lines().toString());
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void closeEndsTheReaderPromptly(Settings.WatchBackend backend) throws Exception {
        start(backend, source(), List.of());
        long t0 = System.nanoTime();
        watcher.close();
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "closed within 2 s");
        watcher = null;
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aSymlinkedSourceIsWatchedAsTheDirectoryItResolvesTo(Settings.WatchBackend backend) throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real/data"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        start(backend, link, List.of());
        Files.createDirectories(real.resolve("d"));
        seen.await("CREATED dir d");
        Files.writeString(real.resolve("d/f"), "x");
        seen.await("CREATED d/f");
        assertEquals(watches(backend, 2), watcher.watchedDirectories());
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aDeletedRootIsLostThenWatchedFromScratchWhenItIsBack(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        Files.createDirectories(src.resolve("d/e"));
        start(backend, src, List.of());
        removeTree(src);
        String lost = seen.await("ROOT LOST");
        assertTrue(lost.contains("source " + src), lost);
        assertEquals(0, watcher.watchedDirectories());
        seen.take();
        Files.createDirectories(src);
        seen.await("ROOT BACK");
        List<String> after = settle(src, "marker");
        assertEquals(List.of("ROOT BACK", "CREATED dir marker"), after);
        awaitWatched(watches(backend, 2));
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aRootMovedAwayNeverReportsTheTreeItLeftBehind(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        Path old = tmp.resolve("src.old");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("keep"), "x");
        start(backend, src, List.of());
        Files.move(src, old);
        Files.writeString(old.resolve("keep"), "changed"); // at once, before the watcher can have noticed
        Files.delete(old.resolve("sub"));
        Files.writeString(old.resolve("new"), "x");
        String lost = seen.await("ROOT LOST");
        assertTrue(lost.contains("source " + src) && (lost.contains("moved away") || lost.contains("gone")), lost);
        Files.writeString(old.resolve("later"), "x");
        Files.createDirectories(src);
        seen.await("ROOT BACK");
        Files.writeString(old.resolve("after-back"), "x");
        List<String> all = seen.lines();
        List<String> after = settle(src, "marker");
        assertEquals(List.of("ROOT BACK", "CREATED dir marker"),
                after.subList(after.indexOf("ROOT BACK"), after.size()), "after the loss nothing of the old tree: " + all);
        assertEquals(1, after.stream().filter(l -> l.startsWith("ROOT LOST")).count(), after.toString());
        assertTrue(after.stream().filter(l -> !l.startsWith("ROOT")).allMatch(l -> l.equals("CREATED dir marker")),
                "changes under src.old are not the source's: " + after);
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aRootReplacedByAnotherDirectoryIsLostThenWatchedFromScratch(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        Path old = tmp.resolve("src.old");
        Files.writeString(src.resolve("a"), "x");
        start(backend, src, List.of());
        Files.move(src, old);
        Files.createDirectories(src);
        Files.delete(old.resolve("a")); // would be a delete in the backup if resolved against the new source
        List<String> lost = new ArrayList<>(List.of(seen.await("ROOT LOST")));
        seen.await("ROOT BACK");
        Files.writeString(old.resolve("b"), "x");
        List<String> after = settle(src, "c");
        assertTrue(after.stream().noneMatch(l -> l.endsWith(" a") || l.endsWith(" b")), after.toString());
        assertEquals(List.of("ROOT BACK", "CREATED dir c"), after.subList(after.indexOf("ROOT BACK"), after.size()));
        assertTrue(lost.get(0).contains("source " + src), lost.toString());
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aRootMissingAtStartIsAwaited(Settings.WatchBackend backend) throws Exception {
        Path src = tmp.resolve("later");
        start(backend, src, List.of());
        assertEquals(List.of("ROOT LOST source " + src + " does not exist (or is not a directory); waiting for it"),
                seen.lines(), "reported before start returned");
        seen.take();
        Files.createDirectories(src);
        seen.await("ROOT BACK");
        assertEquals(List.of("ROOT BACK", "CREATED dir marker"), settle(src, "marker"));
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void anUnmountedRootIsLostAndNotTheBareMountPointButTheFilesystemMountedAgain(Settings.WatchBackend backend)
            throws Exception {
        Path point = tmp.resolve("mnt");
        ScratchMount mount = tmpfs(point);
        Files.writeString(point.resolve("a"), "x");
        start(backend, point, List.of());
        settle(point, "first");
        mount.unmount();
        String lost = seen.await("ROOT LOST");
        assertTrue(lost.contains("source " + point + " was unmounted"), lost);
        Files.writeString(point.resolve("underneath"), "x"); // on the filesystem below: not the source
        // proving an absence takes time: the lost root's path is looked at every WAIT_MILLIS
        Thread.sleep(3L * RootWatcher.WAIT_MILLIS);
        assertEquals(List.of(lost), seen.lines(), "the bare mount point is not the source");
        Files.delete(point.resolve("underneath"));
        mount.mountAgain();
        seen.await("ROOT BACK");
        List<String> after = settle(point, "second");
        assertEquals(List.of("ROOT BACK", "CREATED dir second"), after.subList(after.indexOf("ROOT BACK"), after.size()));
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aSourceOnAFilesystemThatIsUnmountedIsGoneUntilItIsMountedAgain(Settings.WatchBackend backend) throws Exception {
        Path point = tmp.resolve("mnt");
        ScratchMount mount = tmpfs(point);
        Path src = Files.createDirectories(point.resolve("data"));
        start(backend, src, List.of());
        mount.unmount();
        String lost = seen.await("ROOT LOST");
        assertTrue(lost.contains("source " + src) && lost.contains("unmounted"), lost);
        mount.mountAgain(); // a fresh tmpfs: empty until the directory is made
        Files.createDirectories(src);
        seen.await("ROOT BACK");
        List<String> after = settle(src, "x");
        assertEquals(List.of("ROOT BACK", "CREATED dir x"), after.subList(after.indexOf("ROOT BACK"), after.size()));
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    /**
     * A disk mounted where the source is: over the directory watched, or over the bare mount point an agent was
     * started on (a reboot with the disk missing, then mounted). The watcher cannot tell them apart: the mounted
     * filesystem is the root from then on (the replication's guarded full sync decides what it may delete), and once
     * it is unmounted the directory first watched is the root again.
     */
    void aFilesystemMountedOverTheRootIsTheRootUntilItIsUnmounted(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        start(backend, src, List.of());
        ScratchMount over = tmpfs(src);
        String lost = seen.await("ROOT LOST");
        assertTrue(lost.contains("another filesystem was mounted over source " + src), lost);
        seen.await("ROOT BACK");
        List<String> after = settle(src, "on-the-disk");
        assertEquals(List.of("ROOT BACK", "CREATED dir on-the-disk"), after.subList(after.indexOf("ROOT BACK"), after.size()));
        over.unmount();
        lost = seen.await("ROOT LOST");
        assertTrue(lost.contains("source " + src + " was unmounted"), lost);
        seen.await("ROOT BACK"); // the same directory as before, seen again
        after = settle(src, "x");
        assertEquals(List.of("ROOT BACK", "CREATED dir x"), after.subList(after.indexOf("ROOT BACK"), after.size()));
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aFilesystemMountedInsideTheTreeMakesItWatchedAgainFromScratch(Settings.WatchBackend backend) throws Exception {
        Path src = source();
        start(backend, src, List.of());
        ScratchMount inner = tmpfs(src.resolve("inner"));
        String lost = seen.await("ROOT LOST");
        assertTrue(lost.contains("the filesystems mounted inside source " + src + " changed (before: none; now: "
                + src.resolve("inner") + ")"), lost);
        if (backend == Settings.WatchBackend.FANOTIFY) { // one mark covers one filesystem: fanotify cannot watch this
            String failed = seen.await("FAILED");
            assertTrue(failed.contains("other filesystems are mounted inside it"), failed);
        } else {
            seen.await("ROOT BACK");
            List<String> after = settle(src, "inner/d");
            assertEquals(List.of("ROOT BACK", "CREATED dir inner/d"), after.subList(after.indexOf("ROOT BACK"), after.size()));
        }
        seen.take();
        inner.unmount();
        seen.await("ROOT BACK");
        List<String> after = settle(src, "x");
        assertEquals(List.of("ROOT BACK", "CREATED dir x"), after.subList(after.indexOf("ROOT BACK"), after.size()));
    }

    @ParameterizedTest @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void directoriesThatWereBusyElsewhereOrExcludedAreSeenInFullOnceTheyComeIn(Settings.WatchBackend backend)
            throws Exception {
        Path src = source();
        Path outside = Files.createDirectories(tmp.resolve("outside/busy"));
        Files.createDirectories(outside.resolve("deep"));
        start(backend, src, List.of("cache/"));
        Files.createDirectories(src.resolve("cache/inner"));
        for (int i = 0; i < 50; i++) { // fanotify learns these directories are not the tree's, and has the kernel drop them
            Files.writeString(outside.resolve("f" + i), "x");
            Files.writeString(outside.resolve("deep/g" + i), "x");
            Files.writeString(src.resolve("cache/inner/h" + i), "x");
        }
        assertEquals(List.of("CREATED dir m1"), settle(src, "m1"));
        Files.move(outside, src.resolve("busy"));
        seen.await("CREATED dir busy");
        Files.move(src.resolve("cache/inner"), src.resolve("inner"));
        seen.await("CREATED dir inner");
        Files.writeString(src.resolve("busy/late"), "x");
        Files.writeString(src.resolve("busy/deep/late"), "x");
        Files.writeString(src.resolve("inner/late"), "x");
        seen.await("CREATED busy/late");
        seen.await("CREATED busy/deep/late");
        seen.await("CREATED inner/late");
    }
}
