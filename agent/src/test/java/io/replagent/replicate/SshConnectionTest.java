package io.replagent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.PublicKey;
import io.replagent.state.Target;
import io.replagent.system.Processes;
import io.replagent.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConnectionTest {

    @Test void theFingerprintIsReadFromSshsVisualHostKeyLine() {
        assertEquals(Optional.of("SHA256:256EwX4ZsAchr5tvzcqFTHwANO+ncazWOHSqg6GWJkA"), SshConnection.fingerprint(
                "Host key fingerprint is SHA256:256EwX4ZsAchr5tvzcqFTHwANO+ncazWOHSqg6GWJkA\n+--[ED25519 256]--+\n|     .= .        |\n"));
        assertEquals(Optional.empty(), SshConnection.fingerprint("Authenticated to 127.0.0.1"));
    }

    /** A real sshd with an rrsync account, a key, and the agent's files for the target under {@code root}. */
    private record Account(Sshd sshd, String user, Path key, Path data) {}

    private static Account account(Path root) throws Exception {
        Sshd.traversable(root);
        Path key = root.resolve("id");
        assertTrue(new Processes().run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok());
        Path data = Files.createDirectories(root.resolve("data"));
        Sshd sshd = Sshd.start(root.resolve("sshd"));
        String user = sshd.account(root.resolve("home"), "restrict,command=\"/usr/bin/rrsync -no-lock " + data + "\" "
                + Files.readString(Path.of(key + ".pub")).strip());
        Files.setOwner(data, data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
        return new Account(sshd, user, key, data);
    }

    private static SshCommand command(Account a, Path stateDir, List<String> hostKeys, boolean shared) throws Exception {
        Target.Ssh target = new Target.Ssh(a.user(), "127.0.0.1", a.sshd().port(), "/",
                new Target.SshAccess(Optional.of(a.key()), hostKeys, Optional.empty(), Map.of()));
        SshCommand ssh = new SshCommand(target, stateDir, shared);
        ssh.writeFiles();
        return ssh;
    }

    @Test @Tag("e2e")
    void oneHandshakeUntilTheServerGoesAwayAndTheFingerprintOfTheKeyThatPassed(@TempDir Path root) throws Exception {
        Account a = account(root);
        try (Sshd sshd = a.sshd()) {
            SshConnection connection = new SshConnection(command(a, root.resolve("state"), List.of(sshd.hostKey()), true),
                    new Processes(), Clock.systemUTC());
            try {
                assertEquals(Optional.empty(), connection.ensure());
                assertEquals(Optional.empty(), connection.ensure());
                assertEquals(1, connection.handshakes());
                assertEquals(1, sshd.logins(a.user()));
                assertEquals(PublicKey.parse(sshd.hostKey()).fingerprint(), connection.lastHandshake().orElseThrow().fingerprint());

                sshd.stop();
                sshd.start();
                assertEquals(Optional.empty(), connection.ensure(), "made again after the server restarted");
                assertEquals(2, connection.handshakes());
            } finally {
                connection.close();
            }
        }
    }

    @Test @Tag("e2e")
    void aHostWithAnotherKeyOrAnAccountThatRefusesTheKeyIsFoundBeforeAnyPush(@TempDir Path root) throws Exception {
        Account a = account(root);
        try (Sshd sshd = a.sshd()) {
            String otherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKTGa8NDwOUdz0K9h8PA2IyuYFf2YVEF0vzUBn5oQkra";
            SshConnection wrongHost = new SshConnection(command(a, root.resolve("state"), List.of(otherKey), true), new Processes(),
                    Clock.systemUTC());
            SshConnection.Failure failure = wrongHost.ensure().orElseThrow();
            assertEquals(Optional.of(SshExit.HOST_KEY_CHANGED), failure.kind(), failure.error());
            assertEquals(0, sshd.logins(a.user()));

            Path otherIdentity = root.resolve("other-id");
            assertTrue(new Processes().run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherIdentity.toString())).ok());
            Target.Ssh target = new Target.Ssh(a.user(), "127.0.0.1", sshd.port(), "/",
                    new Target.SshAccess(Optional.of(otherIdentity), List.of(sshd.hostKey()), Optional.empty(), Map.of()));
            SshCommand ssh = new SshCommand(target, root.resolve("state"));
            ssh.writeFiles();
            failure = new SshConnection(ssh, new Processes(), Clock.systemUTC()).ensure().orElseThrow();
            assertEquals(Optional.of(SshExit.AUTH_REFUSED), failure.kind(), failure.error());
            assertFalse(Files.exists(root.resolve("state/ssh/" + SshCommand.id(target) + ".sock")), "no connection left behind");
        }
    }

    /**
     * What sharing the connection saves: a burst of small pushes, one rsync each, with and without it. Figures go to
     * the test's output; the handshakes are asserted, the seconds only reported (this machine is shared).
     */
    @Test @Tag("e2e")
    void aBurstOfBatchesPaysOneHandshakeInsteadOfOneEach(@TempDir Path root) throws Exception {
        Account a = account(root);
        int batches = 20;
        Path source = Files.createDirectories(root.resolve("source"));
        try (Sshd sshd = a.sshd()) {
            long[] logins = new long[2];
            double[] seconds = new double[2];
            for (int pass = 0; pass < 2; pass++) {
                boolean shared = pass == 0;
                SshConnection connection = new SshConnection(command(a, root.resolve("state-" + shared), List.of(sshd.hostKey()), shared),
                        new Processes(), Clock.systemUTC());
                long before = sshd.logins(a.user());
                long start = System.nanoTime();
                try {
                    for (int i = 0; i < batches; i++) {
                        Files.writeString(source.resolve("f" + i), "batch " + i + " " + shared);
                        assertEquals(Optional.empty(), connection.ensure());
                        Processes.Result push = new Processes().run(List.of("rsync", "-a", "-e", connection.command().rsyncShell(),
                                source + "/", a.user() + "@127.0.0.1:/"), Map.of(), Duration.ofSeconds(60));
                        assertEquals(0, push.exit(), push.err());
                    }
                } finally {
                    connection.close();
                }
                seconds[pass] = (System.nanoTime() - start) / 1e9;
                logins[pass] = sshd.logins(a.user()) - before;
            }
            System.out.printf("ssh connection reuse, %d batches: shared %d handshake(s) %.2f s; unshared %d handshakes %.2f s%n",
                    batches, logins[0], seconds[0], logins[1], seconds[1]);
            assertEquals(1, logins[0]);
            assertEquals(batches, logins[1]);
            assertEquals("batch " + (batches - 1) + " false", Files.readString(a.data().resolve("f" + (batches - 1))));
        }
    }
}
