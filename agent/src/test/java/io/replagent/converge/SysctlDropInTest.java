package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replagent.state.InotifyLimits.Ensure;
import io.replagent.system.HostFiles;
import io.replagent.system.Sysctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
class SysctlDropInTest {

    @TempDir Path root;

    @Test void persistsTheRaisedTargetsAndSkipsLimitsWithoutARequirement() throws Exception {
        Sysctl sysctl = new Sysctl(root.resolve("proc"));
        List<KernelLimit> limits = List.of(
                new KernelLimit("fs.inotify.max_user_watches", 524288, KernelLimit.Need.NONE, Ensure.RAISE, sysctl),
                new KernelLimit("fs.inotify.max_user_instances", 0, KernelLimit.Need.NONE, Ensure.RAISE, sysctl),
                new KernelLimit("fs.inotify.max_queued_events", 327679, KernelLimit.Need.NONE, Ensure.RAISE, sysctl));
        Path file = root.resolve("etc/sysctl.d/90-agent-inotify.conf");
        SysctlDropIn dropIn = new SysctlDropIn(file, limits, new HostFiles(), new Ownership(root.resolve("state"), List.of(), new HostFiles()));
        assertEquals(Action.CREATE, dropIn.plan().get(0).action());
        dropIn.apply();
        assertEquals("""
                # Managed by agent: inotify limits the watches need.
                fs.inotify.max_user_watches = 524288
                fs.inotify.max_queued_events = 327679
                """, Files.readString(file));
        assertEquals(List.of(), dropIn.plan());
    }
}
