package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files with real modes, under a scratch --root as plan and apply see them. */
class SshHostCheckTest {

    @TempDir Path root;

    /** Every problem of a one-line state loaded under {@link #root}, as "1:COL: message". */
    private List<String> problems(String yaml) {
        try {
            return StateFile.load("f", yaml.getBytes(StandardCharsets.UTF_8), Map.of(), root).warnings().stream()
                    .map(StateFileTest::located).toList();
        } catch (InvalidStateException e) {
            return e.diagnostics().stream().map(StateFileTest::located).toList();
        }
    }

    private Path file(String path, String permissions) throws Exception {
        Path onHost = root.resolve(path.substring(1));
        Files.createDirectories(onHost.getParent());
        return SshChecksTest.file(onHost, permissions);
    }

    private static String target(String keys) {
        return "{version: 1, watches: [{name: w, source: /src, targets: [{url: \"ssh://b@h/\", " + keys + "}]}]}";
    }

    @Test void anIdentityFileOthersCanReadIsRefusedWhereTheStateLives() throws Exception {
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/x"), "x");
        String yaml = target("identity_file: /etc/agent/id, host_key: \"" + PublicKeyTest.ED25519 + "\"");
        assertEquals(List.of(), problems(yaml), "not there yet: plan reports it");
        file("/etc/agent/id", "rw-r--r--");
        assertEquals(List.of(SshChecksTest.at(yaml, "/etc/agent/id @ identity file /etc/agent/id is mode 0644: others can read "
                + "the private key (ssh refuses it too): chmod 600 /etc/agent/id")), problems(yaml));
        Files.setPosixFilePermissions(root.resolve("etc/agent/id"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals(List.of(), problems(yaml));
    }

    @Test void aKnownHostsFileOthersCanWriteIsRefused() throws Exception {
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/x"), "x");
        file("/etc/agent/known_hosts", "rw-rw-rw-");
        String yaml = target("identity_file: /etc/agent/id, known_hosts: /etc/agent/known_hosts");
        assertEquals(List.of(SshChecksTest.at(yaml, "/etc/agent/known_hosts @ known_hosts /etc/agent/known_hosts is mode 0666: "
                + "others could add keys the agent would trust: chmod go-w /etc/agent/known_hosts")), problems(yaml));
    }

    @Test void aKeyTheStateGeneratesNeedNotBePrivateYetAKeptOneMust() throws Exception {
        file("/etc/agent/id", "rw-r-----");
        String kept = "{version: 1, client: {ssh_keys: [{path: /etc/agent/id, generate: false}]}}";
        assertEquals(List.of(SshChecksTest.at(kept, "/etc/agent/id @ identity file /etc/agent/id is mode 0640: others can read "
                + "the private key (ssh refuses it too): chmod 600 /etc/agent/id")), problems(kept));
        assertEquals(List.of(), problems("{version: 1, client: {ssh_keys: [{path: /etc/agent/id}]}}"), "apply repairs the mode of a generated key");
    }

    @Test void keyFilesAreTheAgentsOwnFiles() throws Exception {
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/x"), "x");
        String inSource = "{version: 1, client: {ssh_keys: [{path: /src/id}]}, watches: [{name: w, source: /src, targets: [{url: /t}]}]}";
        assertEquals(List.of(SshChecksTest.at(inSource, "/src/id @ ssh key /src/id lies inside the source /src of watch 'w': the "
                + "agent's own files would be pushed in an endless loop and copied into the backup: move it out of the source")),
                problems(inSource));
        String shared = "{version: 1, client: {password_files: [{path: /k, password: {env: PW}}], ssh_keys: [{path: /k}]}}";
        assertEquals(1, problems(shared).stream().filter(p -> p.contains("two resources cannot share a path")).count(), problems(shared).toString());
    }
}
