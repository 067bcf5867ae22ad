package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Server;
import io.replagent.system.Processes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SystemdServiceTest {

    private static final Server SERVER = Fixtures.server(Path.of("/"), "rsync", 873, Server.Daemon.Manage.SYSTEMD);

    @Test void withoutSystemdThePlanSaysSoAndApplyIsBlocked() throws Exception {
        String system = new Processes().run(List.of("systemctl", "is-system-running")).out().strip();
        Assumptions.assumeTrue(system.equals("offline"), "this host runs systemd (" + system + ")");
        List<Change> plan = new SystemdService(SERVER, new Processes()).plan();
        assertEquals(List.of(Change.of("service[rsyncd.service]", Action.BLOCKED, Reason.UNAVAILABLE, "state",
                "systemd is not running on this host (systemctl: offline)", "enabled and active")
                .withDetail(List.of("use daemon.manage: process (or none) on this host"))), plan);
    }

    @Test void theUnitRunsRsyncInTheForegroundWithTheStatesConfig() {
        String unit = SystemdService.unitFile(SERVER);
        assertTrue(unit.contains("\nExecStart=/usr/bin/rsync --daemon --no-detach --config=/etc/rsyncd.conf\n"), unit);
        assertTrue(unit.contains("\nWantedBy=multi-user.target\n"));
        assertEquals("rsyncd.service", SystemdService.unitName(SERVER));
    }
}
