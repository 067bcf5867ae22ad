package io.replagent.watch;

import org.junit.jupiter.api.Tag;
import io.replagent.tree.Change;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real inotify on a temp tree; the listener records what the watcher reports. */
@Tag("e2e")
class TreeWatcherTest {

    @TempDir Path tmp;
    private final List<String> seen = new ArrayList<>();
    private TreeWatcher watcher;

    private final TreeWatcher.Listener recorder = new TreeWatcher.Listener() {
        @Override public void changed(String path, Change change, boolean dir) {
            add(change + (dir ? " dir " : " ") + path);
        }

        @Override public void movedDirectory(String from, String to) {
            add("MOVED " + from + " -> " + to);
        }

        @Override public void overflow() {
            add("OVERFLOW");
        }

        @Override public void rootLost(String why) {
            add("ROOT LOST " + why);
        }

        @Override public void rootBack() {
            add("ROOT BACK");
        }

        @Override public void failed(Exception error) {
            add("FAILED " + error);
        }
    };

    private void add(String line) {
        synchronized (seen) {
            seen.add(line);
            seen.notifyAll();
        }
    }

    private void start(List<String> exclude) throws IOException {
        watcher = new TreeWatcher(tmp, exclude, Set.of(), recorder);
        watcher.start("test-watcher");
    }

    @AfterEach void stop() {
        if (watcher != null) watcher.close();
    }

    private void await(String line) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        synchronized (seen) {
            while (!seen.contains(line)) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) throw new AssertionError("not reported: " + line + "; seen " + seen);
                seen.wait(left);
            }
        }
    }

    @Test void filesDirectoriesAndTheNewDirectoryRace() throws Exception {
        start(List.of());
        Files.writeString(tmp.resolve("f"), "x");
        await("CREATED f");
        await("MODIFIED f");
        Files.createDirectories(tmp.resolve("n/a/b")); // filled before any watch on it can exist
        Files.writeString(tmp.resolve("n/a/b/early"), "x");
        await("CREATED dir n");
        long deadline = System.currentTimeMillis() + 5000;
        while (watcher.watchedDirectories() < 4 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertEquals(4, watcher.watchedDirectories(), "n, n/a and n/a/b are watched too");
        Files.writeString(tmp.resolve("n/a/b/late"), "x");
        await("MODIFIED n/a/b/late");
        Files.delete(tmp.resolve("f"));
        await("DELETED f");
    }

    @Test void movesArePairedAndMovesOutAndInBecomeDeletesAndCreates() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("../outside-" + tmp.getFileName()));
        try {
            Files.createDirectories(tmp.resolve("top/sub"));
            Files.writeString(tmp.resolve("file"), "x");
            start(List.of());
            Files.move(tmp.resolve("top"), tmp.resolve("top2"));
            await("MOVED top -> top2");
            Files.writeString(tmp.resolve("top2/sub/after"), "x"); // the old watch now reports under the new name
            await("MODIFIED top2/sub/after");
            Files.move(tmp.resolve("file"), tmp.resolve("renamed"));
            await("DELETED file");
            await("CREATED renamed");
            Files.move(tmp.resolve("top2"), outside.resolve("top2"));
            await("DELETED dir top2");
            Files.move(outside.resolve("top2"), tmp.resolve("back"));
            await("CREATED dir back");
            assertEquals(3, watcher.watchedDirectories(), "root, back, back/sub");
        } finally {
            try (var s = Files.walk(outside)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test void excludedDirectoriesAreNotWatched() throws Exception {
        Files.createDirectories(tmp.resolve("cache/deep"));
        Files.createDirectories(tmp.resolve("kept"));
        start(List.of("cache/", "*.tmp"));
        assertEquals(2, watcher.watchedDirectories());
        Files.writeString(tmp.resolve("cache/deep/x"), "x");
        Files.writeString(tmp.resolve("a.tmp"), "x");
        Files.writeString(tmp.resolve("kept/y"), "x");
        await("MODIFIED kept/y");
        synchronized (seen) {
            assertTrue(seen.stream().noneMatch(s -> s.contains("cache") || s.contains("a.tmp")), seen.toString());
        }
    }

    @Test void closeEndsTheReaderPromptly() throws Exception {
        start(List.of());
        long t0 = System.nanoTime();
        watcher.close();
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "closed within 2 s");
        watcher = null;
    }
}
