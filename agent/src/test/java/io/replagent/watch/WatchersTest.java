package io.replagent.watch;

import io.replagent.state.Settings.WatchBackend;
import io.replagent.testing.WatchBackends;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which watches need inotify watches, for the limits a plan checks or raises: the real fanotify, asked here. */
@Tag("e2e")
class WatchersTest {

    @TempDir Path dir;

    @Test void onlyAWatchThatEndsUpOnInotifyNeedsInotifyWatches() {
        assertTrue(Watchers.needsInotify(dir, WatchBackend.INOTIFY));
        assertFalse(Watchers.needsInotify(dir, WatchBackend.FANOTIFY), "one fanotify mark covers every directory");
        assertEquals(WatchBackends.fanotifyProblem() != null, Watchers.needsInotify(dir, WatchBackend.AUTO),
                "auto: as fanotify can watch it here (" + WatchBackends.fanotifyProblem() + ")");
        assertTrue(Watchers.needsInotify(dir.resolve("missing"), WatchBackend.AUTO), "a missing source counts as inotify");
    }
}
