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

    @Test void neverKeepsALimitBelowTheKernelsValueNowWhichABootWouldLower() throws Exception {
        Sysctl sysctl = new Sysctl(root.resolve("proc"));
        Files.createDirectories(sysctl.path("fs.inotify.max_user_instances").getParent());
        Files.writeString(sysctl.path("fs.inotify.max_user_instances"), "128\n");
        Files.writeString(sysctl.path("fs.inotify.max_user_watches"), "8192\n");
        List<KernelLimit> limits = List.of(
                new KernelLimit("fs.inotify.max_user_watches", 0, KernelLimit.Need.of(202001, "dirs"), Ensure.RAISE, sysctl),
                new KernelLimit("fs.inotify.max_user_instances", 0, KernelLimit.Need.of(1, "one watch"), Ensure.RAISE, sysctl));
        Path file = root.resolve("etc/sysctl.d/90-agent-inotify.conf");
        SysctlDropIn dropIn = new SysctlDropIn(file, limits, new HostFiles(), new Ownership(root.resolve("state"), List.of(), new HostFiles()));
        for (KernelLimit l : limits) for (Change c : l.plan()) l.apply(); // the live raise first, as apply orders them
        dropIn.apply();
        assertEquals("""
                # Managed by agent: inotify limits the watches need.
                fs.inotify.max_user_watches = 202001
                fs.inotify.max_user_instances = 128
                """, Files.readString(file));
        assertEquals(List.of(), dropIn.plan(), "stable once applied");
    }
}
