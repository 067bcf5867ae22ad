package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replagent.system.HostFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshFileCheckTest {

    @TempDir Path root;
    private final String me = System.getProperty("user.name");

    private SshFileCheck check(SshFileCheck.Kind kind, Path path) {
        return new SshFileCheck(kind, path, me, new HostFiles());
    }

    @Test void anIdentityFileBlocksUntilItIsThereAndPrivate() throws Exception {
        Path key = root.resolve("id");
        SshFileCheck check = check(SshFileCheck.Kind.IDENTITY, key);
        assertEquals(List.of(Change.of("ssh_identity[" + key + "]", Action.BLOCKED, Reason.MISSING, "file", null,
                "a private key, 0600, owned by " + me + " (or list it in client.ssh_keys to generate it)")), check.plan());
        Files.writeString(key, "not read by the check");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of(Change.of("ssh_identity[" + key + "]", Action.BLOCKED, Reason.SECURITY, "file", null, null)
                .withDetail(List.of("identity file " + key + " is mode 0644: others can read the private key (ssh refuses it too): chmod 600 " + key))),
                check.plan());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertEquals(List.of(), check.plan());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), "checked, never changed");
    }

    @Test void aKnownHostsFileOthersCanWriteBlocks() throws Exception {
        Path file = Files.writeString(root.resolve("known_hosts"), "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        SshFileCheck check = check(SshFileCheck.Kind.KNOWN_HOSTS, file);
        assertEquals(Reason.SECURITY, check.plan().get(0).reason());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of(), check.plan());
    }
}
