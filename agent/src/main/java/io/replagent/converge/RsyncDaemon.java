package io.replagent.converge;

import io.replagent.state.Server;
import io.replagent.system.HostFiles;
import io.replagent.system.Processes;
import io.replagent.system.RsyncdProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code daemon.manage: process}: {@code rsync --daemon --config=FILE}, which detaches and writes its pid file.
 * The agent is deliberately not the daemon's parent: the daemon outlives {@code apply --converge-only} and an agent
 * restart. rsync re-reads rsyncd.conf on every connection, so only a new port or address (or a dead process) needs
 * a (re)start; the pid and listen address of the daemon the agent started are recorded next to its other files.
 *
 * <p>A pid file is someone else's until proven ours: the agent signals a pid only when {@code /proc/PID/cmdline} is
 * {@code rsync --daemon} with this state's config file, and removes a stale pid file only when it holds the pid of
 * the daemon the agent itself started. Anything else blocks the plan, naming the pid file.
 */
final class RsyncDaemon implements Resource {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Server server;
    private final Path startRecord;
    private final HostFiles files;
    private final Processes processes;

    /** What the pid file says: nothing, our daemon (running), our daemon's stale pid, or someone else's (why). */
    private sealed interface PidFile {
        record Absent() implements PidFile {}
        record Ours(long pid) implements PidFile {}
        record Stale(long pid) implements PidFile {}
        record Foreign(String why) implements PidFile {}
    }

    /** The daemon this resource started: its pid and the address it listens on ("PID ADDRESS:PORT"). */
    private record Started(long pid, String listen) {}

    RsyncDaemon(Server server, Path stateDir, HostFiles files, Processes processes) {
        this.server = server;
        this.startRecord = stateDir.resolve("rsyncd.started");
        this.files = files;
        this.processes = processes;
    }

    @Override public String address() { return "daemon[rsyncd]"; }

    private String listen() {
        return (server.address() == null || server.address().isEmpty() ? "*" : server.address()) + ":" + server.port();
    }

    private boolean answers() {
        return RsyncdProbe.greeting(RsyncdProbe.connectAddress(server.address()), server.port(), PROBE_TIMEOUT).isPresent();
    }

    @Override public List<Change> plan() throws IOException {
        PidFile pidFile = pidFile();
        if (pidFile instanceof PidFile.Foreign foreign)
            return List.of(Change.of(address(), Action.BLOCKED, Reason.NOT_OURS, "pid_file", foreign.why(), "running on " + listen())
                    .withDetail(List.of("the agent neither signals that process nor removes the file",
                            "remove the file if it is stale, or give server.pid_file a path of its own")));
        if (!(pidFile instanceof PidFile.Ours)) {
            if (answers())
                return List.of(Change.of(address(), Action.BLOCKED, Reason.UNAVAILABLE, "state",
                        "another rsync daemon answers on " + listen() + " (not the one of pid file " + server.pidFile() + ")",
                        "running on " + listen()));
            return List.of(Change.of(address(), Action.CREATE, Reason.NOT_RUNNING, "state", null, "running on " + listen()));
        }
        Optional<String> recorded = started().map(Started::listen);
        if (!recorded.equals(Optional.of(listen())) || !answers())
            return List.of(Change.of(address(), Action.UPDATE, Reason.LISTEN_CHANGED, "listen",
                    recorded.orElse("unknown"), listen()).withDetail(List.of("the daemon is restarted")));
        return List.of();
    }

    @Override public void apply() throws IOException {
        PidFile pidFile = pidFile();
        if (pidFile instanceof PidFile.Foreign foreign) throw new IOException(server.pidFile() + ": " + foreign.why());
        if (pidFile instanceof PidFile.Ours ours) {
            Optional<ProcessHandle> running = ProcessHandle.of(ours.pid());
            if (running.isPresent()) stop(running.get());
        }
        // rsync removes its pid file when it stops; a stale one (a killed daemon) makes it refuse to start
        if (!(pidFile instanceof PidFile.Absent)) Files.deleteIfExists(server.pidFile());
        // the daemon cannot create these itself, and fails after detaching (exit 0) when it cannot
        for (Path file : new Path[] {server.pidFile(), server.lockFile(), server.logFile()})
            if (file != null) files.makeParents(file);
        Processes.Result r = processes.run(List.of("rsync", "--daemon", "--config=" + server.configFile()));
        if (!r.ok()) throw new IOException("rsync --daemon failed: " + r.firstLine());
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!answers()) {
            if (Instant.now().isAfter(deadline))
                throw new IOException("the rsync daemon does not answer on " + listen() + " after "
                        + START_TIMEOUT.toSeconds() + "s; its log " + server.logFile() + " ends: " + logTail());
            sleep();
        }
        long pid = readPid().orElseThrow(() -> new IOException("the rsync daemon answers on " + listen()
                + " but wrote no pid to " + server.pidFile()));
        files.writeAtomically(startRecord, (pid + " " + listen() + "\n").getBytes(StandardCharsets.UTF_8), 0644, "root");
    }

    private String logTail() throws IOException {
        if (server.logFile() == null) return "(no log file)";
        List<String> lines = files.read(server.logFile()).map(b -> new String(b, StandardCharsets.UTF_8).lines().toList()).orElse(List.of());
        return lines.isEmpty() ? "(empty)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** The pid in the pid file, when it holds one. */
    private Optional<Long> readPid() throws IOException {
        Optional<byte[]> content = files.read(server.pidFile());
        if (content.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(new String(content.get(), StandardCharsets.US_ASCII).strip()));
        } catch (NumberFormatException e) {
            return Optional.of(-1L);
        }
    }

    private PidFile pidFile() throws IOException {
        Optional<Long> pid = readPid();
        if (pid.isEmpty()) return new PidFile.Absent();
        if (pid.get() <= 0) return new PidFile.Foreign(server.pidFile() + " exists and holds no pid");
        Optional<List<String>> argv = processes.commandLine(pid.get());
        if (argv.isPresent()) {
            if (isDaemonOf(argv.get(), server.configFile())) return new PidFile.Ours(pid.get());
            String program = argv.get().get(0).isEmpty() ? "?" : Path.of(argv.get().get(0)).getFileName().toString();
            return new PidFile.Foreign(server.pidFile() + " holds pid " + pid.get() + ", a running " + program
                    + " that is not rsync --daemon --config=" + server.configFile());
        }
        if (started().map(Started::pid).equals(pid)) return new PidFile.Stale(pid.get());
        return new PidFile.Foreign(server.pidFile() + " holds pid " + pid.get()
                + ", which is not running and is not the daemon the agent started");
    }

    private Optional<Started> started() throws IOException {
        Optional<String> line = files.read(startRecord).map(b -> new String(b, StandardCharsets.UTF_8).strip());
        if (line.isEmpty() || !line.get().matches("[0-9]+ \\S+")) return Optional.empty();
        String[] parts = line.get().split(" ");
        return Optional.of(new Started(Long.parseLong(parts[0]), parts[1]));
    }

    /** {@code rsync --daemon} started with this config file, as the agent starts it (or the systemd unit does). */
    static boolean isDaemonOf(List<String> argv, Path configFile) {
        if (argv.isEmpty() || !(argv.get(0).equals("rsync") || argv.get(0).endsWith("/rsync"))) return false;
        boolean daemon = false;
        Path config = null;
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--daemon")) daemon = true;
            else if (arg.startsWith("--config=")) config = Path.of(arg.substring("--config=".length()));
            else if (arg.equals("--config") && i + 1 < argv.size()) config = Path.of(argv.get(++i));
        }
        return daemon && config != null && config.normalize().equals(configFile.normalize());
    }

    /** The pid of the daemon of this config, when it runs. */
    Optional<Long> runningPid() throws IOException {
        return pidFile() instanceof PidFile.Ours ours ? Optional.of(ours.pid()) : Optional.empty();
    }

    static void stop(ProcessHandle process) throws IOException {
        process.destroy();
        try {
            process.onExit().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            if (process.isAlive()) throw new IOException("rsync daemon pid " + process.pid() + " does not stop");
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the rsync daemon");
        }
    }
}
