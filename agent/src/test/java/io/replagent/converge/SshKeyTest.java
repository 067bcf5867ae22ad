package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Client;
import io.replagent.state.PublicKey;
import io.replagent.system.HostFiles;
import io.replagent.system.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ssh-keygen on real files. */
@Tag("e2e")
class SshKeyTest {

    @TempDir Path root;
    private final HostFiles files = new HostFiles();
    private final String me = System.getProperty("user.name");

    private SshKey key(Path path, boolean generate) {
        return new SshKey(new Client.SshKey(path, generate, "nfs-31"), me, files, new Processes());
    }

    private static String permissions(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test void aMissingKeyIsGeneratedOnceAndNeverAgain() throws Exception {
        Path path = root.resolve("etc/agent/id_ed25519");
        SshKey key = key(path, true);
        assertEquals(List.of(Change.of(key.address(), Action.CREATE, Reason.MISSING, "key pair", null,
                "ed25519, private 0600, public " + path + ".pub 0644")), key.plan());
        assertEquals(Map.of(key.address(), SshKey.KNOWN_AFTER_APPLY), key.outputs());
        key.apply();
        assertEquals("rw-------", permissions(path));
        assertEquals("rw-r--r--", permissions(Path.of(path + ".pub")));
        PublicKey generated = PublicKey.parse(Files.readString(Path.of(path + ".pub")));
        assertEquals("ssh-ed25519", generated.type());
        assertEquals("nfs-31", generated.comment());
        assertEquals(Map.of(key.address(), generated.key() + " nfs-31"), key.outputs());
        assertEquals(List.of(), key.plan());
        try (var listing = Files.list(path.getParent())) {
            assertEquals(2, listing.count(), "the pair and nothing else (no temporary names left)");
        }

        String privateBefore = Files.readString(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of(Change.of(key.address(), Action.UPDATE, Reason.SECURITY, "mode", "0644", "0600")), key.plan());
        key.apply();
        assertEquals(privateBefore, Files.readString(path), "never regenerated");
        assertEquals("rw-------", permissions(path));
        assertEquals(List.of(), key.plan());
        assertFalse(key.plan().toString().contains(privateBefore.lines().toList().get(1)), "no private key material in a plan");
    }

    @Test void thePublicHalfFollowsThePrivateOne() throws Exception {
        Path path = root.resolve("id");
        SshKey key = key(path, true);
        key.apply();
        Path pub = Path.of(path + ".pub");
        String original = Files.readString(pub);
        Files.delete(pub);
        assertEquals(List.of(Change.of(key.address(), Action.CREATE, Reason.MISSING, "public key", null, pub + ", 0644")), key.plan());
        key.apply();
        assertEquals(PublicKey.parse(original).key(), PublicKey.parse(Files.readString(pub)).key());

        Files.writeString(pub, PublicKeyFixture.OTHER + "\n");
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals(List.of(Change.of(key.address(), Action.UPDATE, Reason.CONTENT_DRIFT, "public key", "another key", "derived from the private key"),
                Change.of(key.address(), Action.UPDATE, Reason.MODE_DRIFT, "public key mode", "0666", "0644")), key.plan());
        key.apply();
        assertEquals(PublicKey.parse(original).key(), PublicKey.parse(Files.readString(pub)).key());
        assertEquals(List.of(), key.plan());
    }

    @Test void aKeyThatMustBeThereBlocksWhenItIsNot() throws Exception {
        SshKey key = key(root.resolve("id"), false);
        assertEquals(List.of(Change.of(key.address(), Action.BLOCKED, Reason.MISSING, "key pair", null, "a private key (generate: false)")),
                key.plan());
        assertFalse(Files.exists(root.resolve("id")));
    }

    @Test void aKeyWithAPassphraseBlocks() throws Exception {
        Path path = root.resolve("id");
        Processes.Result r = new Processes().run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "a passphrase", "-f", path.toString()));
        assertTrue(r.ok(), r.err());
        List<Change> plan = key(path, true).plan();
        assertEquals(1, plan.size(), plan.toString());
        assertEquals(Action.BLOCKED, plan.get(0).action());
        assertEquals(List.of("ssh-keygen -y: Load key \"" + path + "\": incorrect passphrase supplied to decrypt private key",
                "the agent runs ssh without a terminal: the key cannot have a passphrase"), plan.get(0).detail());
    }
}
