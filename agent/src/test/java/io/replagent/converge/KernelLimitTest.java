package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.replagent.state.InotifyLimits.Ensure;
import io.replagent.system.Sysctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a temp /proc/sys: the logic, never the kernel's values. */
class KernelLimitTest {

    static final String WATCHES = "fs.inotify.max_user_watches";

    static final String INSTANCES = "fs.inotify.max_user_instances";

    @TempDir Path root;
    private Sysctl sysctl;
    private Path tree;

    @BeforeEach void setUp() throws IOException {
        sysctl = new Sysctl(root.resolve("proc/sys"));
        Files.createDirectories(sysctl.path(WATCHES).getParent());
        tree = root.resolve("tree");
        for (String d : List.of("a/b/c", "a/d", "e")) Files.createDirectories(tree.resolve(d)); // 6 directories with the root
        Files.writeString(tree.resolve("a/file"), "not a directory");
    }

    private void kernel(long value) throws IOException {
        Files.writeString(sysctl.path(WATCHES), value + "\n");
    }

    @Test void countsEveryDirectoryUnderTheSource() throws IOException {
        assertEquals(6, KernelLimit.countDirectories(tree));
        assertEquals(0, KernelLimit.countDirectories(root.resolve("missing")));
    }

    @Test void checkBlocksOnlyWhenTheWatchedTreesNeedMoreThanTheKernelGives() throws IOException {
        KernelLimit limit = new KernelLimit(WATCHES, 100, KernelLimit.directoriesOf(List.of(tree)), Ensure.CHECK, sysctl);
        kernel(5);
        List<Change> plan = limit.plan();
        assertEquals(1, plan.size());
        assertEquals(Change.of("sysctl[" + WATCHES + "]", Action.BLOCKED, Reason.LIMIT_TOO_LOW, "value", "5", ">= 6"),
                plan.get(0).withDetail(List.of()));
        kernel(6);
        assertEquals(List.of(), limit.plan());
        assertEquals(List.of(WATCHES + " is 6, below the state's 100 (ensure: check leaves it)"), limit.warnings());
        kernel(100);
        assertEquals(List.of(), limit.warnings());
    }

    @Test void raiseWritesTheLargerOfFloorAndNeedAndNeverLowers() throws IOException {
        kernel(5);
        KernelLimit limit = new KernelLimit(WATCHES, 4, KernelLimit.directoriesOf(List.of(tree)), Ensure.RAISE, sysctl);
        assertEquals(List.of(Change.of("sysctl[" + WATCHES + "]", Action.UPDATE, Reason.LIMIT_TOO_LOW, "value", "5", "6")), limit.plan());
        limit.apply();
        assertEquals("6", Files.readString(sysctl.path(WATCHES)).strip());
        assertEquals(List.of(), limit.plan());
        kernel(1000);
        assertEquals(List.of(), limit.plan());
    }

    /** Issue 11, item 8: more watches than inotify instances planned "No changes", then failed at start. */
    @Test void checkBlocksWhenTheWatchesNeedMoreInstancesThanTheKernelGives() throws IOException {
        Files.createDirectories(sysctl.path(INSTANCES).getParent());
        Files.writeString(sysctl.path(INSTANCES), "128\n");
        KernelLimit limit = new KernelLimit(INSTANCES, 0, KernelLimit.Need.of(1000, "1000 watches, one inotify instance each"),
                Ensure.CHECK, sysctl);
        List<Change> plan = limit.plan();
        assertEquals(List.of(Change.of("sysctl[" + INSTANCES + "]", Action.BLOCKED, Reason.LIMIT_TOO_LOW, "value", "128", ">= 1000")
                .withDetail(List.of("1000 watches, one inotify instance each",
                        "raise it (sysctl -w " + INSTANCES + "=1000) or set settings.inotify.ensure: raise"))), plan);
    }

    @Test void aKernelWithoutTheParameterIsAnError() {
        KernelLimit limit = new KernelLimit("fs.inotify.max_queued_events", 1, KernelLimit.Need.NONE, Ensure.CHECK, sysctl);
        assertThrows(IOException.class, limit::plan);
    }
}
