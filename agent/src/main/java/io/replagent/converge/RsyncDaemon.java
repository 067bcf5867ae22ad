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
 * a (re)start; the listen address the daemon was started with is recorded next to the agent's other files.
 */
final class RsyncDaemon implements Resource {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Server server;
    private final Path listenRecord;
    private final HostFiles files;
    private final Processes processes;

    RsyncDaemon(Server server, Path stateDir, HostFiles files, Processes processes) {
        this.server = server;
        this.listenRecord = stateDir.resolve("rsyncd.listen");
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
        if (runningPid().isEmpty()) {
            if (answers())
                return List.of(Change.of(address(), Action.BLOCKED, Reason.UNAVAILABLE, "state",
                        "another rsync daemon answers on " + listen() + " (not the one of pid file " + server.pidFile() + ")",
                        "running on " + listen()));
            return List.of(Change.of(address(), Action.CREATE, Reason.NOT_RUNNING, "state", null, "running on " + listen()));
        }
        Optional<String> recorded = files.read(listenRecord).map(b -> new String(b, StandardCharsets.UTF_8).strip());
        if (!recorded.equals(Optional.of(listen())) || !answers())
            return List.of(Change.of(address(), Action.UPDATE, Reason.LISTEN_CHANGED, "listen",
                    recorded.orElse("unknown"), listen()).withDetail(List.of("the daemon is restarted")));
        return List.of();
    }

    @Override public void apply() throws IOException {
        Optional<ProcessHandle> running = runningPid().flatMap(ProcessHandle::of);
        if (running.isPresent()) stop(running.get());
        Files.deleteIfExists(server.pidFile()); // a stale pid file makes rsync refuse to start
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
        files.writeAtomically(listenRecord, (listen() + "\n").getBytes(StandardCharsets.UTF_8), 0644, "root");
    }

    private String logTail() throws IOException {
        if (server.logFile() == null) return "(no log file)";
        List<String> lines = files.read(server.logFile()).map(b -> new String(b, StandardCharsets.UTF_8).lines().toList()).orElse(List.of());
        return lines.isEmpty() ? "(empty)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** The pid from the pid file, when that process is alive and is rsync (a stale file's pid may be reused). */
    Optional<Long> runningPid() throws IOException {
        Optional<byte[]> content = files.read(server.pidFile());
        if (content.isEmpty()) return Optional.empty();
        long pid;
        try {
            pid = Long.parseLong(new String(content.get(), StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        boolean rsync = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().map(c -> c.endsWith("/rsync") || c.equals("rsync")).orElse(true))
                .orElse(false);
        return rsync ? Optional.of(pid) : Optional.empty();
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
