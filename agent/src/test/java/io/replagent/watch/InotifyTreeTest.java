package io.replagent.watch;

import io.replagent.state.Watch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synthetic inotify records in, listener calls out: the kernel is a tree of directories in memory. */
class InotifyTreeTest {

    private static final int ISDIR = RawEvent.IN_ISDIR;

    /** Directories by path, each with a stable watch descriptor once watched (as the kernel gives per inode). */
    private static final class FakeKernel implements InotifyTree.Kernel {
        final TreeSet<String> dirs = new TreeSet<>(Set.of(""));
        final Map<String, Integer> wds = new HashMap<>();
        final List<Integer> removed = new ArrayList<>();
        int limit = Integer.MAX_VALUE;
        int next = 1;

        @Override public int addWatch(String dir) throws IOException {
            if (!dirs.contains(dir)) return -1;
            if (!wds.containsKey(dir) && wds.size() >= limit) throw new WatchLimitException(null);
            return wds.computeIfAbsent(dir, d -> next++);
        }

        @Override public void removeWatch(int wd) {
            removed.add(wd);
        }

        @Override public List<Dirs.Entry> list(String dir) {
            List<Dirs.Entry> out = new ArrayList<>();
            for (String d : dirs) {
                if (d.isEmpty() || d.equals(dir)) continue;
                String parent = d.contains("/") ? d.substring(0, d.lastIndexOf('/')) : "";
                if (parent.equals(dir)) out.add(new Dirs.Entry(d.substring(d.lastIndexOf('/') + 1), true));
            }
            return out;
        }

        int wd(String dir) {
            return wds.get(dir);
        }
    }

    private final FakeKernel kernel = new FakeKernel();
    private final Recorder seen = new Recorder();

    private InotifyTree tree(List<String> exclude, Set<Watch.Event> events) throws IOException {
        InotifyTree tree = new InotifyTree(kernel, new Excludes(exclude), new Report(events, seen), "/src");
        tree.addTree("");
        return tree;
    }

    private static RawEvent event(int wd, int mask, String name) {
        return new RawEvent(wd, mask, 0, name);
    }

    @Test void aNewDirectoryIsWatchedWithWhatItAlreadyHoldsAndReportedAsAWhole() throws IOException {
        InotifyTree tree = tree(List.of(), Set.of());
        kernel.dirs.addAll(List.of("n", "n/a", "n/a/b")); // filled before any event was read
        tree.handle(event(kernel.wd(""), RawEvent.IN_CREATE | ISDIR, "n"), 0);
        assertEquals(List.of("CREATED dir n"), seen.take());
        assertEquals(4, tree.watched());
        tree.handle(event(kernel.wd("n/a/b"), RawEvent.IN_CLOSE_WRITE, "late"), 0);
        assertEquals(List.of("MODIFIED n/a/b/late"), seen.take());
    }

    @Test void filesAreReportedByKind() throws IOException {
        InotifyTree tree = tree(List.of(), Set.of());
        int root = kernel.wd("");
        tree.handle(event(root, RawEvent.IN_CREATE, "f"), 0);
        tree.handle(event(root, RawEvent.IN_MODIFY, "f"), 0);
        tree.handle(event(root, RawEvent.IN_CLOSE_WRITE, "f"), 0);
        tree.handle(event(root, RawEvent.IN_ATTRIB, "f"), 0);
        tree.handle(event(root, RawEvent.IN_DELETE, "f"), 0);
        assertEquals(List.of("CREATED f", "MODIFIED f", "MODIFIED f", "MODIFIED f", "DELETED f"), seen.take());
    }

    @Test void theEventFilterDropsKindsButNeverTheTreesShape() throws IOException {
        InotifyTree tree = tree(List.of(), Set.of(Watch.Event.CREATE));
        int root = kernel.wd("");
        kernel.dirs.add("d");
        tree.handle(event(root, RawEvent.IN_CLOSE_WRITE, "f"), 0);
        tree.handle(event(root, RawEvent.IN_DELETE, "f"), 0);
        tree.handle(event(root, RawEvent.IN_CREATE | ISDIR, "d"), 0);
        tree.handle(event(root, RawEvent.IN_CREATE, "g"), 0);
        assertEquals(List.of("CREATED dir d", "CREATED g"), seen.take());
    }

    @Test void movesPairByCookieWithinTheHold() throws IOException {
        kernel.dirs.addAll(List.of("top", "top/sub"));
        InotifyTree tree = tree(List.of(), Set.of());
        int root = kernel.wd("");
        tree.handle(new RawEvent(root, RawEvent.IN_MOVED_FROM, 7, "file"), 0);
        tree.handle(new RawEvent(root, RawEvent.IN_MOVED_TO, 7, "renamed"), 10);
        tree.handle(new RawEvent(root, RawEvent.IN_MOVED_FROM | ISDIR, 8, "top"), 20);
        tree.handle(new RawEvent(root, RawEvent.IN_MOVED_TO | ISDIR, 8, "top2"), 30);
        assertEquals(List.of("RENAMED file -> renamed", "MOVED top -> top2"), seen.take());
        tree.handle(event(kernel.wd("top/sub"), RawEvent.IN_CLOSE_WRITE, "after"), 40); // the old watch, the new name
        assertEquals(List.of("MODIFIED top2/sub/after"), seen.take());
    }

    @Test void aFileRenameIsOnePairAcrossDirectoriesUnlessAnEndIsExcludedOrMovesAreNotWanted() throws IOException {
        kernel.dirs.addAll(List.of("d", "e"));
        InotifyTree tree = tree(List.of("*.tmp"), Set.of());
        tree.handle(new RawEvent(kernel.wd("d"), RawEvent.IN_MOVED_FROM, 1, "a"), 0);
        tree.handle(new RawEvent(kernel.wd("e"), RawEvent.IN_MOVED_TO, 1, "b"), 1);
        tree.handle(new RawEvent(kernel.wd("d"), RawEvent.IN_MOVED_FROM, 2, "c.tmp"), 2); // from an excluded name: a create
        tree.handle(new RawEvent(kernel.wd("d"), RawEvent.IN_MOVED_TO, 2, "c"), 3);
        assertEquals(List.of("RENAMED d/a -> e/b", "CREATED d/c"), seen.take());
        InotifyTree noMoves = tree(List.of(), Set.of(Watch.Event.CLOSE_WRITE));
        noMoves.handle(new RawEvent(kernel.wd("d"), RawEvent.IN_MOVED_FROM, 3, "x"), 0);
        noMoves.handle(new RawEvent(kernel.wd("d"), RawEvent.IN_MOVED_TO, 3, "y"), 1);
        assertEquals(List.of(), seen.take());
    }

    @Test void aMoveOutIsADeleteOnceTheHoldEndsAndItsWatchesGo() throws IOException {
        kernel.dirs.addAll(List.of("d", "d/e"));
        InotifyTree tree = tree(List.of(), Set.of());
        tree.handle(new RawEvent(kernel.wd(""), RawEvent.IN_MOVED_FROM | ISDIR, 9, "d"), 1000);
        tree.expire(1049, false);
        assertEquals(List.of(), seen.take());
        assertEquals(1, tree.nextDeadline(1049));
        tree.expire(1050, false);
        assertEquals(List.of("DELETED dir d"), seen.take());
        assertEquals(Set.of(kernel.wd("d"), kernel.wd("d/e")), Set.copyOf(kernel.removed));
        assertEquals(1, tree.watched());
        assertEquals(-1, tree.nextDeadline(1050));
    }

    @Test void aMoveInIsACreateOfTheWhole() throws IOException {
        InotifyTree tree = tree(List.of(), Set.of());
        kernel.dirs.addAll(List.of("in", "in/deep"));
        tree.handle(new RawEvent(kernel.wd(""), RawEvent.IN_MOVED_TO | ISDIR, 5, "in"), 0);
        tree.handle(new RawEvent(kernel.wd(""), RawEvent.IN_MOVED_TO, 6, "file"), 0);
        assertEquals(List.of("CREATED dir in", "CREATED file"), seen.take());
        assertEquals(3, tree.watched());
    }

    @Test void anOverflowIsReportedAndTheTreeWalkedAgain() throws IOException {
        InotifyTree tree = tree(List.of(), Set.of());
        kernel.dirs.addAll(List.of("lost", "lost/too")); // created while the queue overflowed
        tree.handle(new RawEvent(-1, RawEvent.IN_Q_OVERFLOW, 0, ""), 0);
        assertEquals(List.of("OVERFLOW"), seen.take());
        assertEquals(3, tree.watched());
    }

    @Test void excludedDirectoriesAreNotWatchedAndExcludedNamesNotReported() throws IOException {
        kernel.dirs.addAll(List.of("cache", "cache/deep", "kept"));
        InotifyTree tree = tree(List.of("cache/", "*.tmp"), Set.of());
        assertEquals(2, tree.watched());
        tree.handle(event(kernel.wd(""), RawEvent.IN_CLOSE_WRITE, "a.tmp"), 0);
        tree.handle(event(kernel.wd("kept"), RawEvent.IN_CLOSE_WRITE, "y"), 0);
        tree.handle(new RawEvent(kernel.wd(""), RawEvent.IN_MOVED_FROM, 3, "x"), 0);
        tree.handle(new RawEvent(kernel.wd(""), RawEvent.IN_MOVED_TO, 3, "x.tmp"), 0); // renamed into an excluded name
        assertEquals(List.of("MODIFIED kept/y", "DELETED x"), seen.take());
    }

    @Test void theRootsOwnEventsSayWhatHappenedToIt() throws IOException {
        InotifyTree tree = tree(List.of(), Set.of());
        int root = kernel.wd("");
        assertEquals(RootCheck.Hint.MOVED, tree.hint(List.of(event(root, RawEvent.IN_MOVE_SELF, ""))));
        assertEquals(RootCheck.Hint.DELETED, tree.hint(List.of(event(root, RawEvent.IN_DELETE_SELF, ""),
                event(root, RawEvent.IN_IGNORED, ""))));
        assertEquals(RootCheck.Hint.UNMOUNTED, tree.hint(List.of(event(root, RawEvent.IN_UNMOUNT, ""))));
        assertEquals(RootCheck.Hint.NONE, tree.hint(List.of(event(root + 1, RawEvent.IN_DELETE_SELF, ""))));
        assertNull(tree.handle(event(root, RawEvent.IN_MOVE_SELF, ""), 0), "moved and back: the check decides, not this");
        String lost = tree.handle(event(root, RawEvent.IN_IGNORED, ""), 0);
        assertTrue(lost != null && lost.contains("/src"), lost);
        assertEquals(List.of(), seen.take());
    }

    @Test void theWatchLimitNamesWhatTheTreeNeeds() {
        kernel.dirs.addAll(List.of("a", "b", "c"));
        kernel.limit = 2;
        WatchLimitException e = assertThrows(WatchLimitException.class, () -> tree(List.of(), Set.of()));
        assertTrue(e.getMessage().contains("this watch needs 4 watches"), e.getMessage());
    }
}
