package io.replagent.replicate;

import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.testing.Watches;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RsyncTransportTest {

    private static RsyncTransport transport(Target t, Duration timeout, String shell) {
        Watch w = Watches.withRsync(Watches.watch(Path.of("/src/"), t), new Watch.RsyncOptions(false, 0, timeout, false, List.of()));
        return new RsyncTransport("rsync", w, t, shell);
    }

    /**
     * Per endpoint: how each argv starts, what reaches and bounds it, where the target's root is, the reserved temp
     * dir and a moved directory's basis as the receiver takes them (a daemon: module-absolute, or relative to the
     * destination; over ssh: absolute on its side, as rrsync refuses "..").
     */
    @Test void endpointTable() {
        Target daemon = new Target("d", new Target.Daemon("u", "h", 873, "data", ""), Optional.of(Path.of("/etc/pw")), Optional.empty());
        Target inModule = new Target("m", new Target.Daemon("u", "h", 873, "data", "hosts/web"), Optional.empty(), Optional.empty());
        Target ssh = new Target("s", new Target.Ssh("backup", "h", 22, "/srv/nfs", Target.SshAccess.NONE), Optional.empty(), Optional.empty());
        Target sshRoot = new Target("r", new Target.Ssh("backup", "h", 22, "/", Target.SshAccess.NONE), Optional.empty(), Optional.empty());
        Target local = new Target("l", new Target.Local(Path.of("/backup/x")), Optional.empty(), Optional.empty());
        Object[][] cases = {
                // target, timeout, head, access, destination, root, reserved tmp, basis of a/b for c/d/e
                {daemon, Duration.ofMillis(300), List.of("rsync"), List.of("--timeout=1", "--password-file=/etc/pw"),
                        "rsync://u@h:873/data/", "/", "/.agent/tmp", "../../../a/b"},
                {inModule, Duration.ZERO, List.of("rsync"), List.of(), "rsync://u@h:873/data/hosts/web/", "/hosts/web",
                        "/hosts/web/.agent/tmp", "../../../a/b"},
                {ssh, Duration.ofSeconds(30), List.of("rsync", "-e", "ssh -F '/a b'"), List.of("--timeout=30"), "backup@h:/srv/nfs/",
                        "/srv/nfs/", "/srv/nfs/.agent/tmp", "/srv/nfs/a/b"},
                {sshRoot, Duration.ZERO, List.of("rsync", "-e", "ssh -F '/a b'"), List.of(), "backup@h:/", "/", "/.agent/tmp", "/a/b"},
                {local, Duration.ZERO, List.of("rsync"), List.of(), "/backup/x/", "/backup/x/", "/backup/x/.agent/tmp", "../../../a/b"},
        };
        for (Object[] c : cases) {
            Target t = (Target) c[0];
            RsyncTransport tr = transport(t, (Duration) c[1], t.endpoint() instanceof Target.Ssh ? "ssh -F '/a b'" : null);
            String what = t.name();
            assertEquals(c[2], tr.head(), what);
            assertEquals(c[3], tr.access(), what);
            assertEquals("/src/", tr.source(), what);
            assertEquals(c[4], tr.destination(), what);
            assertEquals(c[5], tr.root(), what);
            assertEquals(c[6], tr.reserved("tmp"), what);
            assertEquals(c[7], tr.basis("a/b", "c/d/e"), what);
        }
    }

    @Test void eachArgvGetsItsOwnHead() {
        Target local = new Target("l", new Target.Local(Path.of("/b")), Optional.empty(), Optional.empty());
        RsyncTransport tr = transport(local, Duration.ZERO, null);
        tr.head().add("--changed");
        assertEquals(List.of("rsync"), tr.head());
    }

    @Test void anSshTargetNeverGoesThroughRsyncsDefaultSsh() {
        Target ssh = new Target("s", new Target.Ssh("backup", "h", 22, "/", Target.SshAccess.NONE), Optional.empty(), Optional.empty());
        assertEquals("an ssh target needs its ssh command",
                assertThrows(IllegalArgumentException.class, () -> transport(ssh, Duration.ZERO, null)).getMessage());
    }
}
