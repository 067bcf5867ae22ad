package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** rsync's own error lines (as rsync 3.2/3.5 print them) → the listed paths they name. */
class FailedPathsTest {

    private static final List<String> LISTED = List.of("a/f1", "a/f2", "b", "c/x y", "new\nline", "data");
    private static final List<String> ROOTS = List.of("/srv/src/", "/backup/");
    private static final String SUMMARY = "rsync error: some files/attrs were not transferred (see previous errors) (code 23)"
            + " at main.c(1394) [sender=3.5.0]";

    @Test void errorsToListedPaths() {
        Object[][] cases = {
                {"rsync: [sender] send_files failed to open \"/srv/src/a/f1\": Permission denied (13)", Set.of("a/f1")},
                {"rsync: [receiver] rename \"/backup/.agent/tmp/f2.QFeMse\" -> \"a/f2\": Operation not permitted (1)", Set.of("a/f2")},
                // a daemon prints its own module path: matched by the one suffix that names a listed path
                {"rsync: [receiver] rename \"/m/.agent/tmp/g1.c6\" (in data) -> \"b/g1\": Operation not permitted (1)", Set.of("b")},
                {"rsync: [generator] recv_generator: mkdir \"/srv/module/b/sub\" (in data) failed: No space left on device (28)", Set.of("b")},
                {"rsync: [sender] opendir \"/srv/src/c/x y\" failed: Permission denied (13)", Set.of("c/x y")},
                {"rsync: [sender] send_files failed to open \"/srv/src/new\\#012line\": Permission denied (13)", Set.of("new\nline")},
                {"rsync: [sender] send_files failed to open \"/srv/src/a/f1\": Permission denied (13)\n"
                        + "rsync: [sender] send_files failed to open \"/srv/src/a/f2\": Permission denied (13)", Set.of("a/f1", "a/f2")},
        };
        for (Object[] c : cases) {
            assertEquals(Optional.of(c[1]), FailedPaths.of(c[0] + "\n" + SUMMARY + "\n", LISTED, ROOTS), (String) c[0]);
        }
    }

    @Test void anErrorThatCannotBeMatchedForSureMeansTheWholeList() {
        for (String stderr : List.of(
                SUMMARY,                                                               // no per-file error
                "rsync: [sender] send_files failed to open \"/srv/src/zzz\": Permission denied (13)", // not listed
                "rsync: [receiver] write failed on \"/srv/src/a/f1\": No space left on device (28)\nrsync: connection unexpectedly closed",
                // "/m/data/b/q": "data" or "b"? Two readings: do not guess
                "rsync: [generator] recv_generator: mkdir \"/m/data/b/q\" (in mod) failed: No space left on device (28)")) {
            assertEquals(Optional.empty(), FailedPaths.of(stderr, LISTED, ROOTS), stderr);
        }
    }
}
