package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import io.replagent.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Server;
import io.replagent.system.HostFiles;
import io.replagent.system.Processes;
import io.replagent.system.RsyncdProbe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real daemon on 127.0.0.1: started detached, restarted on a new port, never confused with a stranger. */
@Tag("e2e")
class RsyncDaemonTest {

    @TempDir Path root;
    private final HostFiles files = new HostFiles();

    @AfterEach void stop() throws Exception {
        Fixtures.stopDaemon(root.resolve("run/rsyncd.pid"));
    }

    private RsyncDaemon daemon(int port) throws Exception {
        Server server = Fixtures.server(root, "root", port, Server.Daemon.Manage.PROCESS);
        new ManagedFile("rsyncd_conf", server.configFile(), RsyncdConf.render(server, 0).getBytes(StandardCharsets.UTF_8),
                0644, "root", false, files, new Ownership(root.resolve("var/lib/agent"), List.of(), files)).apply();
        return new RsyncDaemon(server, root.resolve("var/lib/agent"), files, new Processes());
    }

    @Test void startsDetachedThenRestartsWhenThePortChanges() throws Exception {
        int first = Ports.free();
        RsyncDaemon daemon = daemon(first);
        assertEquals(List.of(Change.of("daemon[rsyncd]", Action.CREATE, Reason.NOT_RUNNING, "state", null, "running on 127.0.0.1:" + first)),
                daemon.plan());
        daemon.apply();
        assertTrue(RsyncdProbe.greeting("127.0.0.1", first, Duration.ofSeconds(2)).orElseThrow().startsWith("@RSYNCD: "));
        long pid = daemon.runningPid().orElseThrow();
        assertFalse(ProcessHandle.of(pid).orElseThrow().parent().map(p -> p.pid() == ProcessHandle.current().pid()).orElse(false),
                "the agent is not the daemon's parent");
        assertEquals(List.of(), daemon.plan());

        int second = Ports.free();
        RsyncDaemon moved = daemon(second);
        assertEquals(List.of(Change.of("daemon[rsyncd]", Action.UPDATE, Reason.LISTEN_CHANGED, "listen", "127.0.0.1:" + first,
                "127.0.0.1:" + second).withDetail(List.of("the daemon is restarted"))), moved.plan());
        moved.apply();
        assertTrue(RsyncdProbe.greeting("127.0.0.1", second, Duration.ofSeconds(2)).isPresent());
        assertTrue(RsyncdProbe.greeting("127.0.0.1", first, Duration.ofMillis(300)).isEmpty(), "the old daemon is gone");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(List.of(), moved.plan());
    }

    /** Killed (no clean-up): its pid file is left behind, holding the pid the agent recorded when it started it. */
    @Test void aKilledDaemonsStalePidFileIsRemovedAndTheDaemonStartedAgain() throws Exception {
        RsyncDaemon daemon = daemon(Ports.free());
        daemon.apply();
        ProcessHandle killed = ProcessHandle.of(daemon.runningPid().orElseThrow()).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().join();
        assertTrue(Files.exists(root.resolve("run/rsyncd.pid")), "SIGKILL leaves the pid file");
        assertEquals(Reason.NOT_RUNNING, daemon.plan().get(0).reason());
        daemon.apply();
        assertEquals(List.of(), daemon.plan());
    }

    /** Issue 11, item 2: a pid_file naming an existing file deleted it, and the plan did not say so. */
    @Test void aPidFileTheAgentDidNotWriteIsNeverRemoved() throws Exception {
        Path pidFile = Files.createDirectories(root.resolve("run")).resolve("rsyncd.pid");
        for (String content : List.of("keep me: not a pid\n", "999999999\n")) {
            Files.writeString(pidFile, content);
            RsyncDaemon daemon = daemon(Ports.free());
            List<Change> plan = daemon.plan();
            assertEquals(List.of(Action.BLOCKED), plan.stream().map(Change::action).toList(), plan.toString());
            assertTrue(plan.get(0).before().startsWith(pidFile.toString()), plan.toString());
            assertThrows(IOException.class, daemon::apply);
            assertEquals(content, Files.readString(pidFile));
        }
    }

    /** Issue 11, item 3: an unrelated rsync daemon sharing the pid file was killed by apply. */
    @Test void anotherDaemonsPidFileIsNeitherSignalledNorRemoved() throws Exception {
        Path pidFile = Files.createDirectories(root.resolve("run")).resolve("rsyncd.pid");
        Path otherConfig = Files.writeString(root.resolve("other.conf"), "pid file = " + pidFile + "\nuse chroot = no\n"
                + "[x]\npath = " + root + "\n");
        int otherPort = Ports.free();
        Process other = new ProcessBuilder("rsync", "--daemon", "--no-detach", "--config=" + otherConfig, "--port=" + otherPort,
                "--address=127.0.0.1").redirectErrorStream(true).redirectOutput(root.resolve("other.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (RsyncdProbe.greeting("127.0.0.1", otherPort, Duration.ofMillis(200)).isEmpty() && System.nanoTime() < deadline)
                Thread.sleep(20);
            assertEquals(String.valueOf(other.pid()), Files.readString(pidFile).strip());
            RsyncDaemon daemon = daemon(Ports.free());
            List<Change> plan = daemon.plan();
            assertEquals(List.of(Change.of("daemon[rsyncd]", Action.BLOCKED, Reason.NOT_OURS, "pid_file",
                    pidFile + " holds pid " + other.pid() + ", a running rsync that is not rsync --daemon --config="
                            + root.resolve("etc/rsyncd.conf"), plan.get(0).after()).withDetail(plan.get(0).detail())), plan);
            assertThrows(IOException.class, daemon::apply);
            assertTrue(other.isAlive(), "the other daemon still runs");
            assertEquals(String.valueOf(other.pid()), Files.readString(pidFile).strip());
        } finally {
            other.destroy();
            other.waitFor();
        }
    }

    @Test void theDaemonOfThisConfigIsKnownByItsCommandLine() {
        Path config = Path.of("/etc/rsyncd.conf");
        assertTrue(RsyncDaemon.isDaemonOf(List.of("rsync", "--daemon", "--config=/etc/rsyncd.conf"), config));
        assertTrue(RsyncDaemon.isDaemonOf(List.of("/usr/bin/rsync", "--daemon", "--no-detach", "--config", "/etc//rsyncd.conf"), config));
        assertFalse(RsyncDaemon.isDaemonOf(List.of("/usr/bin/rsync", "--daemon", "--no-detach"), config), "Debian's rsync.service");
        assertFalse(RsyncDaemon.isDaemonOf(List.of("rsync", "--daemon", "--config=/etc/other.conf"), config));
        assertFalse(RsyncDaemon.isDaemonOf(List.of("rsync", "-a", "--config=/etc/rsyncd.conf", "x", "y"), config));
        assertFalse(RsyncDaemon.isDaemonOf(List.of("sleep", "--daemon", "--config=/etc/rsyncd.conf"), config));
    }

    @Test void anotherDaemonOnThePortBlocks() throws Exception {
        try (ServerSocket stranger = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread greeter = new Thread(() -> {
                try (Socket s = stranger.accept()) {
                    s.getOutputStream().write("@RSYNCD: 31.0\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception ignored) {
                    // the test fails on the plan below if nothing answered
                }
            });
            greeter.start();
            List<Change> plan = daemon(stranger.getLocalPort()).plan();
            greeter.join(5000);
            assertEquals(Action.BLOCKED, plan.get(0).action(), plan.toString());
        }
    }
}
