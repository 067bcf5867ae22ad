package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import io.replagent.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Server;
import io.replagent.system.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
class SystemdServiceTest {

    private static final Server SERVER = Fixtures.server(Path.of("/"), "rsync", 873, Server.Daemon.Manage.SYSTEMD);

    @Test void withoutSystemdThePlanSaysSoAndApplyIsBlocked() throws Exception {
        String system = new Processes().run(List.of("systemctl", "is-system-running")).out().strip();
        Assumptions.assumeTrue(system.equals("offline"), "this host runs systemd (" + system + ")");
        List<Change> plan = new SystemdService(SERVER, new Processes(), "systemctl").plan();
        assertEquals(List.of(Change.of("service[rsync.service]", Action.BLOCKED, Reason.UNAVAILABLE, "state",
                "systemd is not running on this host (systemctl: offline)", "enabled and active")
                .withDetail(List.of("use daemon.manage: process (or none) on this host"))), plan);
    }

    /**
     * A host with systemd, played by a stand-in {@code systemctl} script (this machine's PID 1 is not systemd):
     * it answers from state files and logs every call, so the test sees what apply asks systemd to do.
     */
    @Test void onASystemdHostAnInactiveUnitIsEnabledAndRestarted(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("systemctl");
        Files.writeString(fake, """
                #!/bin/sh
                d=$(dirname "$0")
                echo "$*" >> "$d/calls"
                case "$1" in
                  is-system-running) echo running ;;
                  is-enabled) cat "$d/enabled" 2>/dev/null || echo disabled ;;
                  is-active) cat "$d/active" 2>/dev/null || echo inactive ;;
                  enable) echo enabled > "$d/enabled" ;;
                  restart) echo active > "$d/active" ;;
                esac
                """);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        SystemdService service = new SystemdService(Fixtures.server(dir, "rsync", Ports.free(), Server.Daemon.Manage.SYSTEMD),
                new Processes(), fake.toString());
        assertEquals(List.of(Change.of("service[rsync.service]", Action.CREATE, Reason.NOT_RUNNING, "state", "disabled, inactive",
                "enabled and active")), service.plan());
        service.apply();
        assertTrue(Files.readString(dir.resolve("calls")).endsWith("daemon-reload\nenable rsync.service\nrestart rsync.service\n"));
        // enabled and active, but nothing answers on the port: the listen address changed, so restart
        assertEquals(Reason.LISTEN_CHANGED, service.plan().get(0).reason());
    }

    @Test void theUnitRunsRsyncInTheForegroundWithTheStatesConfig() {
        String unit = SystemdService.unitFile(SERVER);
        assertTrue(unit.contains("\nExecStart=/usr/bin/rsync --daemon --no-detach --config=/etc/rsyncd.conf\n"), unit);
        assertTrue(unit.contains("\nWantedBy=multi-user.target\n"));
        assertEquals("rsync.service", SystemdService.unitName(SERVER));
    }
}
