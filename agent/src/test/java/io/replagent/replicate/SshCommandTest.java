package io.replagent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Target;
import io.replagent.system.Processes;
import io.replagent.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshCommandTest {

    static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh6/DwLNt68jb146NCdJp777q5v3o38q/iy4ma4fzOA";
    static final String OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKTGa8NDwOUdz0K9h8PA2IyuYFf2YVEF0vzUBn5oQkra";
    /** A directory name that is every kind of trouble: spaces, both quotes, a leading dash, ssh's tokens, a comment sign. */
    static final String HOSTILE = "-oProxyCommand=touch pwned; it's \"q\" %h #c \\b";
    /** As hostile, short enough for a control socket under it (a Unix socket path has 107 bytes). */
    static final String SHORT_HOSTILE = "-o x'\"%h #\\";

    static Target.Ssh target(int port, Path identity, List<String> hostKeys, Optional<Path> knownHosts, Map<String, String> options) {
        return new Target.Ssh("backup", "127.0.0.1", port, "/data",
                new Target.SshAccess(Optional.of(identity), hostKeys, knownHosts, options));
    }

    @Test void theConfigPinsTheHostOffersOneKeyAndNeverPrompts() {
        Target.Ssh target = target(2222, Path.of("/etc/agent/id_ed25519"), List.of(HOST_KEY + " root@rsync-41"),
                Optional.of(Path.of("/etc/agent/known_hosts")), Map.of("Ciphers", "aes256-gcm@openssh.com", "ConnectTimeout", "5"));
        SshCommand ssh = new SshCommand(target, Path.of("/var/lib/agent"));
        String id = SshCommand.id(target);
        assertEquals("""
                # written by agent for backup@127.0.0.1:/data/: every ssh it runs over this target reads this file (ssh -F)
                BatchMode yes
                StrictHostKeyChecking yes
                UserKnownHostsFile "/var/lib/agent/ssh/ID.known_hosts" "/etc/agent/known_hosts"
                GlobalKnownHostsFile none
                UpdateHostKeys no
                CheckHostIP no
                VerifyHostKeyDNS no
                IdentitiesOnly yes
                IdentityAgent none
                IdentityFile "/etc/agent/id_ed25519"
                PreferredAuthentications publickey
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                ForwardAgent no
                ForwardX11 no
                ClearAllForwardings yes
                PermitLocalCommand no
                Ciphers aes256-gcm@openssh.com
                ConnectTimeout 5
                ServerAliveCountMax 3
                ServerAliveInterval 15
                """.replace("ID", id), ssh.config());
        assertEquals("# written by agent from host_key: the keys it accepts for [127.0.0.1]:2222\n[127.0.0.1]:2222 " + HOST_KEY + "\n",
                ssh.knownHosts());
        assertEquals(List.of("ssh", "-F", "/var/lib/agent/ssh/" + id + ".config", "-p", "2222", "-oControlMaster=auto",
                "-oControlPath=\"/var/lib/agent/ssh/" + id + ".sock\"", "-oControlPersist=60", "backup@127.0.0.1", "true"),
                ssh.argv(List.of("true")));
        assertEquals("ssh -F /var/lib/agent/ssh/" + id + ".config -p 2222 -oControlMaster=auto '-oControlPath=\"/var/lib/agent/ssh/"
                + id + ".sock\"' -oControlPersist=60", ssh.rsyncShell());
    }

    @Test void aJumpHostGoesOnTheCommandLineSoThatTheJumpDoesNotJumpAgain() {
        Target.Ssh target = target(22, Path.of("/k"), List.of(HOST_KEY), Optional.empty(), Map.of("ProxyJump", "jump@bastion:2200",
                "RekeyLimit", "1G 1h"));
        SshCommand ssh = new SshCommand(target, Path.of("/s"));
        assertFalse(ssh.config().contains("ProxyJump"), ssh.config());
        assertTrue(ssh.config().contains("\nRekeyLimit 1G 1h\n"), "two words, as ssh_config takes them: " + ssh.config());
        assertTrue(ssh.argv(List.of()).contains("-oProxyJump=jump@bastion:2200"), ssh.argv(List.of()).toString());
        assertTrue(ssh.rsyncShell().contains(" -oProxyJump=jump@bastion:2200 "), ssh.rsyncShell());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        plain          | /var/lib/agent/x          | "/var/lib/agent/x"
        a space        | /srv/my keys/id           | "/srv/my keys/id"
        ssh tokens     | /srv/%h/%%/id             | "/srv/%%h/%%%%/id"
        quotes         | /srv/it's "q"/id          | "/srv/it's \\"q\\"/id"
        a backslash    | /srv/a\\b/id               | "/srv/a\\\\b/id"
        """)
    void aPathIsOneTokenOfSshConfig(String what, String path, String token) {
        assertEquals(token, SshCommand.path(path), what);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        plain          | -p                        | -p
        a space        | /my dir/config            | '/my dir/config'
        a single quote | /it's                     | '/it''s'
        double quotes  | -oControlPath="/x y"      | '-oControlPath="/x y"'
        """)
    void aWordIsOneWordOfRsyncsSplitting(String what, String word, String quoted) {
        assertEquals(quoted, SshCommand.rsyncWord(word), what);
    }

    @Test void targetsShareAConnectionOnlyWhenTheyReachTheAccountTheSameWay() {
        Target.Ssh a = target(22, Path.of("/k"), List.of(HOST_KEY), Optional.empty(), Map.of());
        assertEquals(SshCommand.id(a), SshCommand.id(new Target.Ssh("backup", "127.0.0.1", 22, "/elsewhere", a.access())));
        assertNotEquals(SshCommand.id(a), SshCommand.id(target(22, Path.of("/other-key"), List.of(HOST_KEY), Optional.empty(), Map.of())));
        assertNotEquals(SshCommand.id(a), SshCommand.id(target(22, Path.of("/k"), List.of(OTHER_KEY), Optional.empty(), Map.of())));
        assertNotEquals(SshCommand.id(a), SshCommand.id(target(2222, Path.of("/k"), List.of(HOST_KEY), Optional.empty(), Map.of())));
        assertEquals("# written by agent from host_key: the keys it accepts for 127.0.0.1\n127.0.0.1 " + HOST_KEY + "\n",
                new SshCommand(a, Path.of("/s")).knownHosts(), "port 22 is looked up by the bare name");
    }

    /**
     * Real ssh and sshd, every path in a directory named to break quoting (spaces, quotes, a leading dash, %h, a
     * backslash, a '#'): the push arrives, nothing named by the path runs, and a burst shares one login.
     */
    @Test @Tag("e2e")
    void hostilePathsStayPathsAndABurstIsOneHandshake(@TempDir Path root) throws Exception {
        Sshd.traversable(root);
        Processes processes = new Processes();
        Path hostile = Files.createDirectories(root.resolve(HOSTILE));
        Path key = hostile.resolve("id " + HOSTILE.replace("/", ""));
        assertTrue(processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok());
        Path data = Files.createDirectories(root.resolve("data"));
        try (Sshd sshd = Sshd.start(root.resolve("sshd"))) {
            String user = sshd.account(root.resolve("home"), "restrict,command=\"/usr/bin/rrsync -no-lock " + data + "\" "
                    + Files.readString(Path.of(key + ".pub")).strip());
            Files.setOwner(data, data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
            Target.Ssh target = new Target.Ssh(user, "127.0.0.1", sshd.port(), "/",
                    new Target.SshAccess(Optional.of(key), List.of(sshd.hostKey()), Optional.empty(), Map.of()));
            Path stateDir = root.resolve(SHORT_HOSTILE);
            SshCommand ssh = new SshCommand(target, stateDir);
            ssh.writeFiles();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ssh.configFile())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ssh.configFile().getParent())));
            Path source = Files.createDirectories(root.resolve("source"));
            try {
                for (int i = 0; i < 5; i++) {
                    Files.writeString(source.resolve("f" + i), "batch " + i);
                    Processes.Result push = processes.run(List.of("rsync", "-a", "-e", ssh.rsyncShell(), source + "/",
                            target.rsyncDestination()), Map.of(), Duration.ofSeconds(60));
                    assertEquals(0, push.exit(), push.err());
                }
                assertEquals("batch 4", Files.readString(data.resolve("f4")));
                assertEquals(1, sshd.logins(user), "five pushes, one handshake");
                assertTrue(processes.run(ssh.control("check")).ok(), "the shared connection is up");
            } finally {
                processes.run(ssh.control("exit"));
            }
            try (var found = Files.find(root, 10, (p, a) -> p.getFileName().toString().startsWith("pwned"))) {
                assertEquals(List.of(), found.toList(), "no part of a path ran as a command");
            }
            assertFalse(Files.exists(Path.of("pwned")));

            SshCommand wrongKey = new SshCommand(target.withAccess(new Target.SshAccess(Optional.of(key), List.of(OTHER_KEY),
                    Optional.empty(), Map.of())), stateDir);
            wrongKey.writeFiles();
            Files.writeString(source.resolve("not-sent"), "x");
            Processes.Result refused = processes.run(List.of("rsync", "-a", "-e", wrongKey.rsyncShell(), source + "/",
                    target.rsyncDestination()), Map.of(), Duration.ofSeconds(60));
            assertEquals(Optional.of(SshExit.HOST_KEY_CHANGED), SshExit.classify(refused.exit(), refused.err()), refused.err());
            assertFalse(Files.exists(data.resolve("not-sent")), "nothing sent to a host with another key");
            assertEquals(1, sshd.logins(user), "no login either");
        }
    }

    /**
     * A jump host (ProxyJump) is reached with the same config, so it is checked against the same pinned keys: through
     * a jump account the push arrives; a jump host whose key is not pinned refuses it, and nothing is sent.
     */
    @Test @Tag("e2e")
    void aJumpHostIsCheckedAgainstTheSamePins(@TempDir Path root) throws Exception {
        Sshd.traversable(root);
        Processes processes = new Processes();
        Path key = root.resolve("id");
        assertTrue(processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok());
        String publicKey = Files.readString(Path.of(key + ".pub")).strip();
        Path data = Files.createDirectories(root.resolve("data"));
        Path source = Files.createDirectories(root.resolve("source"));
        Files.writeString(source.resolve("f"), "via the jump host");
        try (Sshd jumpHost = Sshd.start(root.resolve("jump")); Sshd backup = Sshd.start(root.resolve("backup"))) {
            String jumper = jumpHost.account(root.resolve("jump-home"), publicKey); // may forward: a jump account
            String user = backup.account(root.resolve("home"), "restrict,command=\"/usr/bin/rrsync -no-lock " + data + "\" " + publicKey);
            Files.setOwner(data, data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
            Path knownHosts = Files.writeString(root.resolve("jump_known_hosts"), "[127.0.0.1]:" + jumpHost.port() + " " + jumpHost.hostKey() + "\n");
            Map<String, String> jump = Map.of("ProxyJump", jumper + "@127.0.0.1:" + jumpHost.port());
            Target.Ssh target = new Target.Ssh(user, "127.0.0.1", backup.port(), "/", new Target.SshAccess(Optional.of(key),
                    List.of(backup.hostKey()), Optional.of(knownHosts), jump));
            SshCommand ssh = new SshCommand(target, root.resolve("state"));
            ssh.writeFiles();
            try {
                Processes.Result push = processes.run(List.of("rsync", "-a", "-e", ssh.rsyncShell(), source + "/", target.rsyncDestination()),
                        Map.of(), Duration.ofSeconds(60));
                assertEquals(0, push.exit(), push.err());
            } finally {
                processes.run(ssh.control("exit"));
            }
            assertEquals("via the jump host", Files.readString(data.resolve("f")));
            assertEquals(1, jumpHost.logins(jumper), "through the jump host");

            Files.writeString(knownHosts, "[127.0.0.1]:" + jumpHost.port() + " " + OTHER_KEY + "\n");
            Files.writeString(source.resolve("g"), "not sent");
            SshCommand unpinned = new SshCommand(target.withAccess(new Target.SshAccess(Optional.of(key), List.of(backup.hostKey()),
                    Optional.of(knownHosts), jump)), root.resolve("state2"), false);
            unpinned.writeFiles();
            Processes.Result refused = processes.run(List.of("rsync", "-a", "-e", unpinned.rsyncShell(), source + "/",
                    target.rsyncDestination()), Map.of(), Duration.ofSeconds(60));
            assertEquals(Optional.of(SshExit.HOST_KEY_CHANGED), SshExit.classify(refused.exit(), refused.err()), refused.err());
            assertFalse(Files.exists(data.resolve("g")));
        }
    }
}
