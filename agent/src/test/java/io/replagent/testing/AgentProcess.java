package io.replagent.testing;

import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import io.replagent.state.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * `agent apply STATE --root ROOT --auto-approve` as a process of its own (the test class path, no jar needed), ready
 * once its control socket reports a first successful sync. Closing kills it.
 */
public final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static final String PASSWORD = "e2e-Secret-7";
    /** The agent's environment: the password its state reads with {env: E2E_PASSWORD}. */
    public static final Map<String, String> ENV = Map.of("E2E_PASSWORD", PASSWORD, "LANG", "C.UTF-8");

    /**
     * A state for ROOT (used with --root ROOT): an rsync daemon on 127.0.0.1 and a free port, module data at
     * /srv/backup, and watch src replicating /srv/source to it (target "backup"); control socket /run/agent/agent.sock.
     */
    public static Path writeLoopbackState(Path root) throws IOException {
        return writeLoopbackState(root, Settings.WatchBackend.AUTO);
    }

    /** The same, its watch on this backend (settings.watch_backend); fanotify where it cannot work skips the test. */
    public static Path writeLoopbackState(Path root, Settings.WatchBackend backend) throws IOException {
        WatchBackends.assume(backend);
        int port = Ports.free();
        Path state = root.resolve("state.yaml");
        Files.writeString(state, """
                version: 1
                settings:
                  state_dir: /var/lib/agent
                  status_file: /var/lib/agent/status.json
                  control_socket: /run/agent/agent.sock
                  watch_backend: %s
                server:
                  config_file: /etc/rsyncd.conf
                  secrets_file: /etc/rsyncd.secrets
                  pid_file: /run/rsyncd.pid
                  lock_file: /run/rsyncd.lock
                  log_file: /var/log/rsyncd.log
                  address: 127.0.0.1
                  port: %d
                  run_as: root
                  use_chroot: false
                  users: [ { name: backup, password: { env: E2E_PASSWORD } } ]
                  modules:
                    - { name: data, path: /srv/backup, auth_users: [backup], hosts_allow: [127.0.0.1] }
                client:
                  password_files: [ { path: /etc/rsync.passwd, password: { env: E2E_PASSWORD } } ]
                watches:
                  - name: src
                    source: /srv/source
                    targets: [ { name: backup, url: "rsync://backup@127.0.0.1:%d/data", password_file: /etc/rsync.passwd } ]
                    delay: 100ms
                """.formatted(backend.name().toLowerCase(java.util.Locale.ROOT), port, port));
        return state;
    }

    public static AgentProcess start(Path state, Path root, Path socket, Map<String, String> env, Path log) throws Exception {
        return start(state, root, socket, env, log, true);
    }

    /** @param synced wait for a first successful sync too (else only for the control socket to answer) */
    public static AgentProcess start(Path state, Path root, Path socket, Map<String, String> env, Path log, boolean synced)
            throws Exception {
        return start(List.of(), state, root, socket, env, log, synced);
    }

    /** @param launcher what runs the agent's java, e.g. {@code nohup} (it execs, so the pid stays the agent's) */
    public static AgentProcess start(List<String> launcher, Path state, Path root, Path socket, Map<String, String> env, Path log,
                                     boolean synced) throws Exception {
        List<String> command = new java.util.ArrayList<>(launcher);
        command.addAll(javaCommand(List.of("apply", state.toString(), "--root", root.toString(), "--auto-approve")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        AgentProcess agent = new AgentProcess(builder.start(), log);
        agent.awaitReady(socket, synced);
        return agent;
    }

    /** The agent's CLI as a command line: java with this JVM and the test class path. */
    public static List<String> javaCommand(List<String> args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dfile.encoding=UTF-8", "-Dsun.jnu.encoding=UTF-8",
                "io.replagent.cli.Main"));
        command.addAll(args);
        return command;
    }

    private void awaitReady(Path socket, boolean synced) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("agent exited " + process.exitValue() + ": " + Files.readString(log));
            try (ControlClient client = ControlClient.connect(socket)) {
                if (!synced || client.call("status", null).path("watches").get(0).path("targets").get(0).path("last_success").isString()) return;
            } catch (ControlException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("agent not ready in 60 s: " + Files.readString(log));
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
