package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import io.replagent.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Server;
import io.replagent.system.HostFiles;
import io.replagent.system.Processes;
import io.replagent.system.RsyncdProbe;
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
                0644, "root", false, files).apply();
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

    @Test void aDeadDaemonWithAStalePidFileIsStartedAgain() throws Exception {
        RsyncDaemon daemon = daemon(Ports.free());
        daemon.apply();
        RsyncDaemon.stop(ProcessHandle.of(daemon.runningPid().orElseThrow()).orElseThrow());
        Files.writeString(root.resolve("run/rsyncd.pid"), "999999999\n");
        assertEquals(Reason.NOT_RUNNING, daemon.plan().get(0).reason());
        daemon.apply();
        assertEquals(List.of(), daemon.plan());
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
