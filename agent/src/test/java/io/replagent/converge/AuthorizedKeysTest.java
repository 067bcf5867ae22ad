package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Server;
import io.replagent.state.State;
import io.replagent.system.Host;
import io.replagent.system.HostFiles;
import io.replagent.system.Processes;
import io.replagent.testing.Sshd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorizedKeysTest {

    static final Path RRSYNC = Path.of("/usr/bin/rrsync");
    @TempDir Path root;

    private Ownership ownership() {
        return new Ownership(root.resolve("state"), List.of(), new HostFiles());
    }

    static Server.SshAccount account(Path home, String path, boolean readOnly, boolean writeOnly, String... keys) {
        return new Server.SshAccount(System.getProperty("user.name"), home, Path.of(path), 0755, List.of(keys), readOnly, writeOnly);
    }

    /** The forced command, as sshd hands it to the account's shell: one shell word for the path, quotes escaped for sshd. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        read and write | false | false | /data         | restrict,command="/usr/bin/rrsync -no-lock /data" KEY nfs-31
        read only      | true  | false | /data         | restrict,command="/usr/bin/rrsync -ro /data" KEY nfs-31
        write only     | false | true  | /data         | restrict,command="/usr/bin/rrsync -wo -no-lock /data" KEY nfs-31
        a space        | false | false | /srv/my data  | restrict,command="/usr/bin/rrsync -no-lock '/srv/my data'" KEY nfs-31
        shell syntax   | false | false | /srv/$(id);x  | restrict,command="/usr/bin/rrsync -no-lock '/srv/$(id);x'" KEY nfs-31
        quotes         | false | false | /srv/it's "q" | restrict,command="/usr/bin/rrsync -no-lock '/srv/it'\\''s \\"q\\"'" KEY nfs-31
        """)
    void everyKeyRunsOnlyRrsyncInTheAccountsDirectory(String what, boolean readOnly, boolean writeOnly, String path, String line) {
        AuthorizedKeys keys = new AuthorizedKeys(account(root, path, readOnly, writeOnly, PublicKeyFixture.ED25519 + " nfs-31"),
                "/usr/bin", new HostFiles(), ownership());
        assertEquals(List.of(line.replace("KEY", PublicKeyFixture.ED25519)), keys.lines(RRSYNC), what);
    }

    @Test void aKeyAddedByHandIsSecurityDriftAndApplyRemovesIt() throws Exception {
        Files.createDirectories(root.resolve(".ssh"));
        AuthorizedKeys keys = new AuthorizedKeys(account(root, "/data", false, false, PublicKeyFixture.ED25519 + " nfs-31"),
                "/usr/bin", new HostFiles(), ownership());
        assertEquals(Action.CREATE, keys.plan().get(0).action());
        keys.apply();
        Path file = root.resolve(".ssh/authorized_keys");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(), keys.plan());

        Files.writeString(file, Files.readString(file) + PublicKeyFixture.OTHER + " added-by-hand\n");
        List<Change> plan = keys.plan();
        assertEquals(1, plan.size(), plan.toString());
        assertEquals(Reason.SECURITY, plan.get(0).reason());
        assertTrue(plan.get(0).detail().contains("-" + PublicKeyFixture.OTHER + " added-by-hand"), plan.get(0).detail().toString());
        keys.apply();
        assertFalse(Files.readString(file).contains("added-by-hand"));
        assertEquals(List.of(), keys.plan());

        Files.writeString(file, Files.readString(file).replace("rrsync -no-lock /data", "rrsync -no-lock /"));
        assertEquals(Reason.SECURITY, keys.plan().get(0).reason(), "a loosened restriction is drift of the same kind");
    }

    @Test void withoutRrsyncTheAccountIsBlocked() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(account(root, "/data", false, false, PublicKeyFixture.ED25519), "/nonexistent", new HostFiles(), ownership());
        assertEquals(Action.BLOCKED, keys.plan().get(0).action());
        assertEquals(Optional.of(RRSYNC), AuthorizedKeys.rrsync("/nonexistent:/usr/bin"));
    }

    /**
     * The whole account as apply makes it, against a real sshd: the key pushes with rsync (also several at once), and
     * gets nothing else: no shell, nothing outside the account's directory, and a hand-made unrestricted line is gone
     * after the next apply.
     */
    @Test @Tag("e2e")
    void theAccountsKeyRunsRsyncThereAndNothingElse() throws Exception {
        Sshd.traversable(root);
        Processes processes = new Processes();
        Path key = Files.createDirectories(root.resolve("client")).resolve("id");
        assertTrue(processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "nfs-31", "-f", key.toString())).ok());
        try (Fixtures.TestUsers users = new Fixtures.TestUsers(); Sshd sshd = Sshd.start(root.resolve("sshd"))) {
            String user = users.unique();
            Path data = root.resolve("backup's data");
            Server.SshAccount account = new Server.SshAccount(user, root.resolve("home/" + user), data, 0750,
                    List.of(Files.readString(Path.of(key + ".pub")).strip()), false, false);
            State state = new State(1, Fixtures.settings(root, Fixtures.checkLimits()), Optional.of(new Server(root.resolve("rsyncd.conf"),
                    root.resolve("rsync.password"), root.resolve("rsyncd.pid"), root.resolve("rsync.lock"), root.resolve("rsyncd.log"),
                    873, "127.0.0.1", "rsync", true, 0, Duration.ZERO, List.of(), List.of(), new Server.Daemon(Server.Daemon.Manage.PROCESS, null),
                    Map.of(), List.of(account))), Optional.empty(), List.of());
            Host host = Fixtures.host(root.resolve("proc-sys"));
            Converger converger = Converger.of(state, host);
            Plan plan = converger.plan();
            assertEquals(List.of("user[" + user + "]", "directory[" + account.home() + "]",
                    "directory[" + account.home() + "/.ssh]", "file.authorized_keys[" + account.home() + "/.ssh/authorized_keys]",
                    "directory[" + data + "]"), List.copyOf(plan.byResource().keySet()), "no rsync daemon for an ssh-only server");
            assertTrue(converger.apply(plan, line -> { }).ok());
            assertEquals(List.of(), Converger.of(state, host).plan().changes());

            Path knownHosts = Files.writeString(root.resolve("client/known_hosts"), "[127.0.0.1]:" + sshd.port() + " " + sshd.hostKey() + "\n");
            String ssh = "ssh -F /dev/null -oBatchMode=yes -oStrictHostKeyChecking=yes -oUserKnownHostsFile=" + knownHosts
                    + " -oIdentitiesOnly=yes -i " + key + " -p " + sshd.port();
            Path source = Files.createDirectories(root.resolve("source/sub"));
            Files.writeString(source.resolve("f"), "pushed");
            List<CompletableFuture<Processes.Result>> pushes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String to = "/p" + i + "/";
                pushes.add(CompletableFuture.supplyAsync(() -> rsync(processes, ssh, root.resolve("source") + "/", user + "@127.0.0.1:" + to)));
            }
            for (CompletableFuture<Processes.Result> push : pushes) assertEquals(0, push.get().exit(), push.get().err());
            for (int i = 0; i < 4; i++) assertEquals("pushed", Files.readString(data.resolve("p" + i + "/sub/f")));

            Processes.Result shell = processes.run(List.of("sh", "-c", ssh + " " + user + "@127.0.0.1 id"));
            assertEquals(1, shell.exit(), shell.out());
            assertTrue(shell.err().contains("rrsync error: SSH_ORIGINAL_COMMAND does not run rsync"), shell.err());

            Processes.Result escape = rsync(processes, ssh, root.resolve("source") + "/", user + "@127.0.0.1:../escape/");
            assertTrue(escape.err().contains("do not use .. in"), escape.err());
            assertFalse(Files.exists(root.resolve("escape")));
            String outside = "/agent-test-" + user;
            assertEquals(0, rsync(processes, ssh, root.resolve("source") + "/", user + "@127.0.0.1:" + outside + "/").exit());
            assertFalse(Files.exists(Path.of(outside)), "an absolute path stays inside the account's directory");
            assertEquals("pushed", Files.readString(data.resolve(outside.substring(1)).resolve("sub/f")));

            Path file = account.home().resolve(".ssh/authorized_keys");
            Files.writeString(file, Files.readString(Path.of(key + ".pub")) + Files.readString(file)); // sshd uses the first match
            assertEquals(0, processes.run(List.of("sh", "-c", ssh + " " + user + "@127.0.0.1 id")).exit(), "the hand-made line opens a shell");
            Plan drift = Converger.of(state, host).plan();
            assertEquals(List.of(Reason.SECURITY), drift.changes().stream().map(Change::reason).toList());
            assertTrue(Converger.of(state, host).apply(drift, line -> { }).ok());
            assertEquals(1, processes.run(List.of("sh", "-c", ssh + " " + user + "@127.0.0.1 id")).exit(), "closed again");
        }
    }

    private static Processes.Result rsync(Processes processes, String ssh, String from, String to) {
        try {
            return processes.run(List.of("rsync", "-a", "-e", ssh, from, to), Map.of(), Duration.ofSeconds(60));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
