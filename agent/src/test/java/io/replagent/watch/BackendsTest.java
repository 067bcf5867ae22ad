package io.replagent.watch;

import io.replagent.state.Settings;
import io.replagent.testing.ScratchMount;
import io.replagent.testing.WatchBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The choice of backend against real filesystems: one fanotify can watch (the temp directory) and ones it cannot. */
@Tag("e2e")
class BackendsTest {

    @TempDir Path tmp;
    private final Recorder seen = new Recorder();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    private Watcher start(Path source, Settings.WatchBackend backend) throws IOException {
        Watcher w = Watchers.open(source, List.of(), Set.of(), backend, seen);
        closing.add(w);
        w.start("test-watcher");
        return w;
    }

    /** An overlay over a lower directory: its filesystem gives fanotify no file handles. */
    private Path overlay() throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower/src"));
        ScratchMount m;
        try {
            m = ScratchMount.overlay(lower.getParent(), tmp.resolve("merged"));
        } catch (IOException e) {
            Assumptions.abort("cannot mount an overlay here (" + e.getMessage() + "): the overlay cases are skipped");
            throw e;
        }
        closing.add(m);
        return m.dir().resolve("src");
    }

    @Test void autoTakesFanotifyWhereItWorks() throws Exception {
        WatchBackends.assume(Settings.WatchBackend.FANOTIFY);
        Watcher w = start(Files.createDirectories(tmp.resolve("src")), Settings.WatchBackend.AUTO);
        assertEquals("fanotify", w.backend());
        assertEquals("settings.watch_backend is auto and fanotify can watch the source", w.backendReason());
    }

    @Test void anExplicitInotifySaysSo() throws Exception {
        Watcher w = start(Files.createDirectories(tmp.resolve("src")), Settings.WatchBackend.INOTIFY);
        assertEquals("inotify", w.backend());
        assertEquals("settings.watch_backend is inotify", w.backendReason());
    }

    @Test void autoFallsBackToInotifyOnAFilesystemWithoutFileHandlesAndSaysWhy() throws Exception {
        Path src = overlay();
        Watcher w = start(src, Settings.WatchBackend.AUTO);
        assertEquals("inotify", w.backend());
        assertTrue(w.backendReason().startsWith("settings.watch_backend is auto and fanotify cannot watch " + src + ": "),
                w.backendReason());
        assertTrue(w.backendReason().contains("overlay"), w.backendReason());
        Files.createDirectory(src.resolve("d"));
        seen.await("CREATED dir d");
    }

    @Test void anExplicitFanotifyThatCannotWorkIsAnErrorNamingTheCause() throws Exception {
        Path src = overlay();
        IOException e = assertThrows(IOException.class, () -> start(src, Settings.WatchBackend.FANOTIFY));
        assertTrue(e.getMessage().startsWith("settings.watch_backend is fanotify, but fanotify cannot watch " + src + ": "),
                e.getMessage());
        assertTrue(e.getMessage().contains("overlay"), e.getMessage());
    }

    @Test void autoFallsBackToInotifyWhenAnotherFilesystemIsMountedInside() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        ScratchMount inner = ScratchMount.tmpfs(src.resolve("inner"));
        closing.add(inner);
        Watcher w = start(src, Settings.WatchBackend.AUTO);
        assertEquals("inotify", w.backend());
        assertTrue(w.backendReason().contains("other filesystems are mounted inside it (" + src.resolve("inner") + ")"),
                w.backendReason());
        Files.createDirectory(src.resolve("inner/d")); // inotify watches across the mount
        seen.await("CREATED dir inner/d");
    }

    @Test void autoDecidesWhenASourceMissingAtStartAppears() throws Exception {
        Path src = tmp.resolve("later");
        Watcher w = start(src, Settings.WatchBackend.AUTO);
        assertEquals("auto", w.backend());
        assertTrue(w.backendReason().contains("not chosen yet"), w.backendReason());
        Files.createDirectories(src);
        seen.await("ROOT BACK");
        assertEquals(WatchBackends.fanotifyProblem() == null ? "fanotify" : "inotify", w.backend(), w.backendReason());
    }
}
