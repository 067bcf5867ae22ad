package io.replagent.testing;

import io.replagent.state.Settings;
import io.replagent.tree.Change;
import io.replagent.watch.Watcher;
import io.replagent.watch.Watchers;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Whether fanotify can watch this machine's temp filesystem (root, kernel, file handles), asked of the agent's own
 * watcher once per test JVM. Where it cannot, every fanotify run of a test is skipped with one message that says why,
 * and {@code make test} prints it ({@code fanotify-skips}); where it can, a fanotify run that fails is a failure.
 */
public final class WatchBackends {

    private WatchBackends() {}

    /** Null when fanotify works here, else why not (probed on first use only: the unit suite never loads it). */
    public static String fanotifyProblem() {
        return Probe.PROBLEM;
    }

    /** Skips the calling test when it asks for fanotify and fanotify cannot work here. */
    public static void assume(Settings.WatchBackend backend) {
        if (backend != Settings.WatchBackend.FANOTIFY) return;
        Assumptions.assumeTrue(fanotifyProblem() == null, "fanotify is not available on this machine ("
                + fanotifyProblem() + "): the fanotify runs of the end-to-end tests are skipped");
    }

    private static final class Probe {
        static final String PROBLEM = probe();
    }

    private static String probe() {
        try {
            Path dir = Files.createTempDirectory("agent-fanotify-probe");
            try (Watcher w = Watchers.open(dir, List.of(), Set.of(), Settings.WatchBackend.FANOTIFY, IGNORED)) {
                w.start("fanotify-probe");
                return null;
            } finally {
                Files.delete(dir);
            }
        } catch (Exception | LinkageError e) {
            return e.getMessage();
        }
    }

    private static final Watcher.Listener IGNORED = new Watcher.Listener() {
        @Override public void changed(String path, Change change, boolean dir) {}
        @Override public void movedDirectory(String from, String to) {}
        @Override public void movedFile(String from, String to) {}
        @Override public void overflow() {}
        @Override public void rootLost(String why) {}
        @Override public void rootBack() {}
        @Override public void failed(Exception error) {}
    };
}
