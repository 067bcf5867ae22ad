package io.replagent.converge;

import io.replagent.state.Server;
import io.replagent.system.Processes;
import io.replagent.system.RsyncdProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code daemon.manage: systemd}: the unit (written by a {@link ManagedFile} before this runs) enabled and active.
 * On a host whose PID 1 is not systemd, {@code systemctl} answers "offline": the plan says so instead of failing late.
 */
final class SystemdService implements Resource {

    static final Path UNIT_DIR = Path.of("/etc/systemd/system");

    private final Server server;
    private final String unit;
    private final Processes processes;
    private final String systemctl;

    /** @param systemctl the program to ask: {@code systemctl} from PATH */
    SystemdService(Server server, Processes processes, String systemctl) {
        this.server = server;
        this.unit = unitName(server);
        this.processes = processes;
        this.systemctl = systemctl;
    }

    /** The state's {@code daemon.systemd_unit} (the loader defaults it to rsync.service, Debian's name). */
    static String unitName(Server server) {
        return server.daemon().systemdUnit();
    }

    /** The unit file: rsync in the foreground under systemd, with the state's config file. */
    static String unitFile(Server server) {
        return "# Managed by agent from its state file.\n"
                + "[Unit]\nDescription=rsync daemon (managed by agent)\nAfter=network.target\n\n"
                + "[Service]\nExecStart=/usr/bin/rsync --daemon --no-detach --config=" + server.configFile() + "\n"
                + "Restart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n";
    }

    @Override public String address() { return "service[" + unit + "]"; }

    @Override public List<Change> plan() throws IOException {
        String system;
        try {
            system = processes.run(List.of(systemctl, "is-system-running")).out().strip();
        } catch (IOException e) {
            system = "not installed";
        }
        if (system.isEmpty() || system.equals("offline") || system.equals("not installed"))
            return List.of(Change.of(address(), Action.BLOCKED, Reason.UNAVAILABLE, "state",
                    "systemd is not running on this host (systemctl: " + (system.isEmpty() ? "no answer" : system) + ")",
                    "enabled and active").withDetail(List.of("use daemon.manage: process (or none) on this host")));
        boolean enabled = systemctl("is-enabled").equals("enabled");
        boolean active = systemctl("is-active").equals("active");
        if (!enabled || !active)
            return List.of(Change.of(address(), Action.CREATE, Reason.NOT_RUNNING, "state",
                    (enabled ? "enabled" : "disabled") + ", " + (active ? "active" : "inactive"), "enabled and active"));
        if (RsyncdProbe.greeting(RsyncdProbe.connectAddress(server.address()), server.port(), RsyncDaemon.PROBE_TIMEOUT).isEmpty())
            return List.of(Change.of(address(), Action.UPDATE, Reason.LISTEN_CHANGED, "listen", "not answering",
                    server.address() + ":" + server.port()).withDetail(List.of("the unit is restarted")));
        return List.of();
    }

    private String systemctl(String verb) throws IOException {
        return processes.run(List.of(systemctl, verb, unit)).out().strip();
    }

    @Override public void apply() throws IOException {
        for (List<String> argv : List.of(List.of(systemctl, "daemon-reload"), List.of(systemctl, "enable", unit),
                List.of(systemctl, "restart", unit))) {
            Processes.Result r = processes.run(argv);
            if (!r.ok()) throw new IOException(String.join(" ", argv) + ": " + r.firstLine());
        }
    }
}
