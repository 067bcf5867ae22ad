package io.replagent.watch;

import io.replagent.state.Watch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Synthetic fanotify events in, listener calls out: the kernel is a map from directory handle to path. */
class FanotifyTreeTest {

    private static final long ONDIR = FanEvent.FAN_ONDIR;

    /** Where each directory handle is now; absent: gone. Counts the lookups the cache did not spare. */
    private final class FakeKernel implements FanotifyTree.Kernel {
        final Map<String, String> where = new HashMap<>();
        final Map<String, Boolean> kinds = new HashMap<>();
        final List<String> ignored = new ArrayList<>();
        int lookups;

        @Override public void ignore(String dirKey) {
            ignored.add(dirKey);
        }

        @Override public void unignoreAll() {
            ignored.clear();
            seen.add("UNIGNORE ALL"); // in the order of the reports: before a directory that came in is reported
        }

        @Override public String locate(String dirKey) {
            lookups++;
            return where.get(dirKey);
        }

        @Override public Boolean kindOf(String path) {
            return kinds.get(path);
        }
    }

    private final FakeKernel kernel = new FakeKernel();
    private final Recorder seen = new Recorder();

    private FanotifyTree tree(List<String> exclude, Set<Watch.Event> events, int cache) {
        kernel.where.put("root", "");
        kernel.where.put("parent", FanotifyTree.ELSEWHERE);
        return new FanotifyTree(kernel, new Excludes(exclude), new Report(events, seen), "parent", "src", cache);
    }

    private FanotifyTree tree() {
        return tree(List.of(), Set.of(), 100);
    }

    private static FanEvent event(long mask, String dir, String name) {
        return new FanEvent(mask, new FanEvent.Entry(dir, name), null);
    }

    private static FanEvent rename(long mask, String fromDir, String from, String toDir, String to) {
        return new FanEvent(FanEvent.FAN_RENAME | mask, new FanEvent.Entry(fromDir, from), new FanEvent.Entry(toDir, to));
    }

    @Test void filesByKindAndTheKernelsMergedEvents() throws Exception {
        FanotifyTree tree = tree();
        tree.handle(event(FanEvent.FAN_CREATE | FanEvent.FAN_ATTRIB | FanEvent.FAN_CLOSE_WRITE, "root", "f")); // touch
        tree.handle(event(FanEvent.FAN_MODIFY | FanEvent.FAN_CLOSE_WRITE, "root", "f"));
        tree.handle(event(FanEvent.FAN_ATTRIB, "root", "f"));
        tree.handle(event(FanEvent.FAN_MODIFY, "root", "f"));
        tree.handle(event(FanEvent.FAN_DELETE, "root", "f"));
        assertEquals(List.of("CREATED f", "MODIFIED f", "MODIFIED f", "MODIFIED f", "DELETED f"), seen.take());
    }

    @Test void aMergedCreateAndDeleteIsDecidedByWhatIsThereNow() throws Exception {
        FanotifyTree tree = tree();
        kernel.kinds.put("back", false);
        tree.handle(event(FanEvent.FAN_CREATE | FanEvent.FAN_DELETE, "root", "gone"));
        tree.handle(event(FanEvent.FAN_CREATE | FanEvent.FAN_DELETE, "root", "back"));
        assertEquals(List.of("DELETED gone", "CREATED back"), seen.take());
    }

    @Test void aNewDirectoryIsReportedWholeAndItsEntriesNeedNoWatch() throws Exception {
        FanotifyTree tree = tree();
        kernel.where.put("n", "n");
        kernel.where.put("n/a", "n/a");
        tree.handle(event(FanEvent.FAN_CREATE | ONDIR, "root", "n"));
        tree.handle(event(FanEvent.FAN_CREATE | ONDIR, "n", "a"));
        tree.handle(event(FanEvent.FAN_CREATE | FanEvent.FAN_CLOSE_WRITE, "n/a", "early"));
        tree.handle(event(FanEvent.FAN_DELETE | ONDIR, "root", "old"));
        assertEquals(List.of("CREATED dir n", "CREATED dir n/a", "CREATED n/a/early", "DELETED dir old"), seen.take());
    }

    @Test void eventsElsewhereEndAtTheCache() throws Exception {
        FanotifyTree tree = tree();
        kernel.where.put("tmp", FanotifyTree.ELSEWHERE);
        for (int i = 0; i < 1000; i++) tree.handle(event(FanEvent.FAN_MODIFY, "tmp", "log"));
        assertEquals(List.of(), seen.take());
        assertEquals(1, kernel.lookups);
        assertEquals(List.of("tmp"), kernel.ignored, "and the kernel is asked to drop them before they are queued");
    }

    @Test void theRootsParentIsNeverIgnoredItTellsWhatHappenedToTheRoot() throws Exception {
        FanotifyTree tree = tree();
        tree.handle(event(FanEvent.FAN_CREATE, "parent", "sibling"));
        assertEquals(List.of(), kernel.ignored);
    }

    @Test void theCacheIsBounded() throws Exception {
        FanotifyTree tree = tree(List.of(), Set.of(), 2);
        for (String key : List.of("a", "b", "c")) {
            kernel.where.put(key, FanotifyTree.ELSEWHERE);
            tree.handle(event(FanEvent.FAN_MODIFY, key, "x"));
        }
        assertEquals(2, tree.cached());
    }

    @Test void anEventOfADirectoryThatIsGoneIsDroppedAndNotRemembered() throws Exception {
        FanotifyTree tree = tree();
        tree.handle(event(FanEvent.FAN_CREATE, "vanished", "f"));
        kernel.where.put("vanished", "v"); // a handle the kernel can resolve later is asked again
        tree.handle(event(FanEvent.FAN_CREATE, "vanished", "f"));
        assertEquals(List.of("CREATED v/f"), seen.take());
    }

    @Test void renamesWithinIntoAndOutOfTheTree() throws Exception {
        FanotifyTree tree = tree();
        kernel.where.put("d", "d");
        kernel.where.put("tmp", FanotifyTree.ELSEWHERE);
        tree.handle(rename(0, "root", "a", "d", "b"));
        tree.handle(rename(0, "root", "c", "tmp", "c"));
        tree.handle(rename(0, "tmp", "e", "root", "e"));
        tree.handle(rename(ONDIR, "tmp", "x", "root", "x"));
        tree.handle(rename(ONDIR, "d", "sub", "tmp", "sub"));
        tree.handle(rename(0, "tmp", "y", "tmp", "z"));
        assertEquals(List.of("RENAMED a -> d/b", "DELETED c", "CREATED e", "UNIGNORE ALL", "CREATED dir x",
                "DELETED dir d/sub"), seen.take());
    }

    @Test void aDirectoryRenameMakesEveryCachedPathAskedAgain() throws Exception {
        FanotifyTree tree = tree();
        kernel.where.put("top", "top");
        kernel.where.put("tmp", FanotifyTree.ELSEWHERE);
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "top", "f"));
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "tmp", "f")); // elsewhere, for now
        tree.handle(rename(ONDIR, "root", "top", "root", "top2"));
        kernel.where.put("top", "top2");
        kernel.where.put("tmp", "top2/tmp"); // was it moved in? the cache cannot tell, so it asks
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "top", "g"));
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "tmp", "g"));
        assertEquals(List.of("MODIFIED top/f", "MOVED top -> top2", "MODIFIED top2/g", "MODIFIED top2/tmp/g"), seen.take());
    }

    @Test void excludedDirectoriesAndEverythingBelowThemAreSilent() throws Exception {
        FanotifyTree tree = tree(List.of("cache/", "*.tmp"), Set.of(), 100);
        kernel.where.put("cache", "cache");
        kernel.where.put("deep", "cache/deep");
        kernel.where.put("kept", "kept");
        tree.handle(event(FanEvent.FAN_CREATE | ONDIR, "root", "cache"));
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "cache", "x"));
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "deep", "x"));
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "root", "a.tmp"));
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "kept", "y"));
        tree.handle(rename(0, "root", "z", "root", "z.tmp"));
        tree.handle(rename(0, "root", "w.tmp", "root", "w")); // from an excluded name: a create
        assertEquals(List.of("MODIFIED kept/y", "DELETED z", "CREATED w"), seen.take());
        assertEquals(List.of("cache", "deep"), kernel.ignored);
        tree.handle(rename(ONDIR, "root", "cache", "root", "kept2")); // no longer excluded: what it holds is wanted again
        assertEquals(List.of("UNIGNORE ALL", "CREATED dir kept2"), seen.take());
        assertEquals(List.of(), kernel.ignored);
    }

    @Test void theAttributesOfADirectoryButNotOfTheRoot() throws Exception {
        FanotifyTree tree = tree();
        kernel.where.put("n", "n");
        tree.handle(event(FanEvent.FAN_ATTRIB | ONDIR, "n", "."));
        tree.handle(event(FanEvent.FAN_ATTRIB | ONDIR, "root", "."));
        assertEquals(List.of("MODIFIED dir n"), seen.take());
    }

    @Test void theEventFilterDropsKindsButNeverTheTreesShape() throws Exception {
        FanotifyTree tree = tree(List.of(), Set.of(Watch.Event.CLOSE_WRITE), 100);
        tree.handle(event(FanEvent.FAN_CREATE, "root", "f"));
        tree.handle(event(FanEvent.FAN_DELETE, "root", "f"));
        tree.handle(rename(0, "root", "g", "root", "h"));
        tree.handle(rename(ONDIR, "root", "d", "root", "e"));
        tree.handle(event(FanEvent.FAN_CREATE | ONDIR, "root", "n"));
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "root", "f"));
        assertEquals(List.of("MOVED d -> e", "CREATED dir n", "MODIFIED f"), seen.take());
    }

    @Test void anOverflowIsReported() throws Exception {
        FanotifyTree tree = tree();
        tree.handle(event(FanEvent.FAN_CLOSE_WRITE, "root", "f"));
        tree.handle(new FanEvent(FanEvent.FAN_Q_OVERFLOW, null, null));
        assertEquals(List.of("MODIFIED f", "OVERFLOW"), seen.take());
        assertEquals(0, tree.cached());
    }

    @Test void theRootsOwnEntrySaysWhatHappenedToIt() {
        FanotifyTree tree = tree();
        assertEquals(RootCheck.Hint.MOVED, tree.hint(List.of(rename(ONDIR, "parent", "src", "parent", "src.old"))));
        assertEquals(RootCheck.Hint.DELETED, tree.hint(List.of(event(FanEvent.FAN_DELETE | ONDIR, "parent", "src"))));
        assertEquals(RootCheck.Hint.NONE, tree.hint(List.of(event(FanEvent.FAN_DELETE | ONDIR, "parent", "other"),
                event(FanEvent.FAN_DELETE, "parent", "src"))));
    }
}
