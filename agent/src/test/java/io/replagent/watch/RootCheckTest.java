package io.replagent.watch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RootCheckTest {

    private static final Identity ROOT = new Identity(8, 100, 30, false, true, 2);
    private static final Identity MOUNTED_ROOT = new Identity(40, 1, 77, true, true, 2);

    private static Identity id(long dev, long ino, long mount, boolean mountRoot, boolean dir) {
        return new Identity(dev, ino, mount, mountRoot, dir, 1);
    }

    static Stream<Arguments> lost() {
        RootCheck.Hint none = RootCheck.Hint.NONE;
        return Stream.of(
                arguments(ROOT, ROOT, null, none, null),
                arguments(ROOT, new Identity(8, 100, 30, false, true, 3), null, none, null), // a link count is no change
                arguments(ROOT, null, null, RootCheck.Hint.DELETED, "source /s was deleted"),
                arguments(ROOT, null, null, RootCheck.Hint.MOVED, "source /s was moved away"),
                arguments(ROOT, null, null, none, "source /s is gone (deleted or moved away)"),
                arguments(ROOT, id(8, 101, 30, false, true), null, RootCheck.Hint.MOVED,
                        "source /s was moved away and another directory took its place (it was device 0:8 inode 100, now device 0:8 inode 101)"),
                arguments(ROOT, id(8, 101, 30, false, true), null, none,
                        "source /s was replaced by another directory (it was device 0:8 inode 100, now device 0:8 inode 101)"),
                arguments(ROOT, id(8, 101, 30, false, false), null, none, "source /s is no longer a directory"),
                arguments(ROOT, id(8, 100, 31, false, true), null, none, "source /s is now seen through another mount (remounted)"),
                arguments(ROOT, id(50, 2, 90, true, true), null, none, "another filesystem was mounted over source /s"),
                arguments(ROOT, null, "/mnt/disk", none, "source /s is gone: the filesystem it was on (mounted at /mnt/disk) was unmounted"),
                arguments(MOUNTED_ROOT, id(8, 500, 30, false, true), "/s", none,
                        "source /s was unmounted; the path now shows the directory under the mount point"),
                arguments(MOUNTED_ROOT, null, null, RootCheck.Hint.UNMOUNTED, "source /s was unmounted"));
    }

    @ParameterizedTest @MethodSource
    void lost(Identity original, Identity now, String goneMount, RootCheck.Hint hint, String expected) {
        assertEquals(expected, RootCheck.lost("/s", original, now, goneMount, hint));
    }

    static Stream<Arguments> back() {
        Identity bare = id(8, 500, 30, false, true);
        return Stream.of(
                arguments(ROOT, "/", null, null, true),             // never watched yet: any directory
                arguments(ROOT, "/", "/", ROOT, true),              // recreated on the same filesystem
                arguments(MOUNTED_ROOT, "/data", "/data", MOUNTED_ROOT, true), // mounted again
                arguments(bare, "/", "/data", MOUNTED_ROOT, false), // the bare mount point an unmount left
                arguments(MOUNTED_ROOT, "/data", "/", bare, true),  // a disk mounted over the bare point the agent started on
                arguments(MOUNTED_ROOT, "/data", "/", ROOT, true),  // or over the directory it watched
                arguments(ROOT, "/", "/data", ROOT, true),          // which is the root again once that disk is gone
                arguments(id(8, 1, 30, false, false), "/", null, null, false),
                arguments(null, null, null, null, false));
    }

    @ParameterizedTest @MethodSource
    void back(Identity now, String nowMount, String originalMount, Identity first, boolean expected) {
        assertEquals(expected, RootCheck.back(now, nowMount, originalMount, "/data", first));
    }
}
