package io.replagent.watch;

import io.replagent.tree.RawNames;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Whether fanotify can watch a directory of this machine's temp filesystem (root, kernel, file handles). Where it
 * cannot, the fanotify runs are skipped with one message that says why; {@code make test} prints it.
 */
final class FanotifyHere {

    /** null when fanotify works here, else why not. */
    static final String PROBLEM = probe();

    private FanotifyHere() {}

    static void assume() {
        Assumptions.assumeTrue(PROBLEM == null, "fanotify is not available on this machine (" + PROBLEM
                + "): the fanotify runs of the watch tests are skipped");
    }

    private static String probe() {
        try {
            Path dir = Files.createTempDirectory("agent-fanotify-probe");
            try {
                String raw = RawNames.of(dir.toRealPath());
                FanotifySession.open(raw, Identity.of(raw).orElseThrow(), new Excludes(List.of()),
                        new Report(Set.of(), new Recorder()))
                        .close();
                return null;
            } finally {
                Files.delete(dir);
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            return e.getMessage();
        }
    }
}
