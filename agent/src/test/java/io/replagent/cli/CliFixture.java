package io.replagent.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs commands in-process and writes the backup-server state file the CLI tests share. */
final class CliFixture {

    static final String PASSWORD = "cli-Secret-42";
    static final Map<String, String> ENV = Map.of("RSYNC_BACKUP_PASSWORD", PASSWORD);

    record Run(int exit, String out, String err) {}

    private CliFixture() {}

    static Run run(List<String> args, String stdin, boolean interactive) {
        return run(args, stdin, interactive, ENV);
    }

    static Run run(List<String> args, String stdin, boolean interactive, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, interactive);
        int exit = Main.run(args, io);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The tutorial's backup host on 127.0.0.1 and a free port, with the client role's password file. */
    static String backupServer(String runAs, int port, String manage) {
        return """
                version: 1
                server:
                  port: %d
                  address: 127.0.0.1
                  run_as: %s
                  users:
                    - { name: rsync_backup, password: { env: RSYNC_BACKUP_PASSWORD } }
                  modules:
                    - name: data
                      path: /data
                      auth_users: [rsync_backup]
                      hosts_allow: [127.0.0.1]
                  daemon: { manage: %s }
                client:
                  password_files:
                    - { path: /etc/rsync.passwd, password: { env: RSYNC_BACKUP_PASSWORD } }
                """.formatted(port, runAs, manage);
    }

    static Path write(Path dir, String content) throws IOException {
        return Files.writeString(dir.resolve("state.yaml"), content);
    }


    static void stopDaemon(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) return;
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(p -> {
            p.destroy();
            p.onExit().join();
        });
    }

    static void deleteUser(String name) throws IOException, InterruptedException {
        new ProcessBuilder("userdel", name).start().waitFor();
    }
}
