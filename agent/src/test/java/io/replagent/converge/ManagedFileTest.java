package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.system.HostFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
class ManagedFileTest {

    @TempDir Path root;
    private final HostFiles files = new HostFiles();

    private List<Path> adopt = List.of();

    private Ownership ownership() {
        return new Ownership(root.resolve("state"), adopt, files);
    }

    private ManagedFile secret(Path path, String content) {
        return new ManagedFile("secrets", path, content.getBytes(StandardCharsets.UTF_8), 0600, "root", true, files, ownership());
    }

    private ManagedFile config(Path path, String content) {
        return new ManagedFile("conf", path, content.getBytes(StandardCharsets.UTF_8), 0644, "root", false, files, ownership());
    }

    /** A file the agent wrote: it is in the record. */
    private Path ours(Path path, String content) throws Exception {
        config(path, content).apply();
        return path;
    }

    @Test void missingThenAppliedThenConverged() throws Exception {
        Path path = root.resolve("etc/secrets");
        ManagedFile file = secret(path, "u:p\n");
        List<Change> plan = file.plan();
        assertEquals(List.of(new Change(file.address(), Action.CREATE, Reason.MISSING, "file", null, "owner root, mode 0600", List.of(), true)), plan);
        file.apply();
        assertEquals("u:p\n", Files.readString(path));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(List.of(), file.plan());
        try (var listing = Files.list(path.getParent())) {
            assertEquals(List.of(path), listing.toList(), "no temp file left behind");
        }
    }

    @Test void aSecretsContentChangeIsSensitiveAndShowsNoContent() throws Exception {
        Path path = root.resolve("secrets");
        secret(path, "u:old\n").apply();
        List<Change> plan = secret(path, "u:new\n").plan();
        assertEquals(List.of(new Change("file.secrets[" + path + "]", Action.UPDATE, Reason.CONTENT_DRIFT, "content", null, null, List.of(), true)), plan);
        assertFalse(plan.toString().contains("old") || plan.toString().contains("new"));
    }

    @Test void aConfigContentChangeCarriesALineDiff() throws Exception {
        Path path = ours(root.resolve("rsyncd.conf"), "a\nb\n");
        List<Change> plan = config(path, "a\nc\n").plan();
        assertEquals(1, plan.size());
        assertEquals(List.of("--- " + path + " (on host)", "+++ " + path + " (from state)", "@@ -1,2 +1,2 @@", " a", "-b", "+c"), plan.get(0).detail());
    }

    @Test void aLooserModeIsRepairedWithoutRewritingTheContent() throws Exception {
        Path path = root.resolve("secrets");
        ManagedFile file = secret(path, "u:p\n");
        file.apply();
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        long inode = (long) Files.getAttribute(path, "unix:ino");
        assertEquals(List.of(Change.of(file.address(), Action.UPDATE, Reason.SECURITY, "mode", "0644", "0600")), file.plan());
        file.apply();
        assertEquals(inode, (long) Files.getAttribute(path, "unix:ino"));
        assertEquals(List.of(), file.plan());
    }

    @Test void aDirectoryInTheWayBlocks() throws Exception {
        Path path = Files.createDirectories(root.resolve("rsyncd.conf"));
        assertEquals(Action.BLOCKED, config(path, "x\n").plan().get(0).action());
    }

    @Test void aSymlinkAtTheManagedPathBlocksAndNothingIsWrittenThroughIt() throws Exception {
        Path elsewhere = Files.writeString(root.resolve("elsewhere"), "keep\n");
        Path path = Files.createSymbolicLink(root.resolve("secrets"), elsewhere);
        ManagedFile file = secret(path, "u:p\n");
        assertEquals(Action.BLOCKED, file.plan().get(0).action(), "a link is not a regular file");
        assertEquals("keep\n", Files.readString(elsewhere));
    }

    /** Issue 11, item 2: secrets_file: /etc/passwd, config_file: /etc/shadow were replaced, and printed as a diff. */
    @Test void aFileTheAgentDidNotWriteIsNeitherReplacedNorShown() throws Exception {
        Path shadow = Files.writeString(root.resolve("shadow"), "root:$6$salted$hash:19000:0:99999:7:::\n");
        List<Change> plan = config(shadow, "port = 873\n").plan();
        assertEquals(List.of(Change.of("file.conf[" + shadow + "]", Action.BLOCKED, Reason.NOT_OURS, "content",
                "39 bytes, sha256 " + sha256(Files.readAllBytes(shadow)), "from state, owner root, mode 0644").withDetail(List.of(
                "the agent did not write this file and does not replace it",
                "to let it: add " + shadow + " to settings.adopt (or point the state at another path)"))), plan);
        assertFalse(plan.toString().contains("salted"), "not a line of it: " + plan);

        Path passwd = Files.writeString(root.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        List<Change> secretPlan = secret(passwd, "u:p\n").plan();
        assertEquals(Action.BLOCKED, secretPlan.get(0).action());
        assertEquals("32 bytes", secretPlan.get(0).before(), "a file at a secret's path may hold one: not even its hash");
        assertEquals(1, secretPlan.size(), "nor is its mode changed");
    }

    @Test void anAdoptedFileIsReplacedOnceAndIsTheAgentsFromThenOn() throws Exception {
        Path conf = Files.writeString(root.resolve("rsyncd.conf"), "# written by hand\n");
        adopt = List.of(conf);
        ManagedFile file = config(conf, "port = 873\n");
        assertEquals(List.of(Reason.ADOPTED), file.plan().stream().map(Change::reason).toList());
        assertTrue(file.plan().get(0).detail().stream().noneMatch(l -> l.contains("by hand")));
        file.apply();
        assertEquals("port = 873\n", Files.readString(conf));
        adopt = List.of();
        Files.writeString(conf, "port = 874\n");
        List<Change> drift = config(conf, "port = 873\n").plan();
        assertEquals(Reason.CONTENT_DRIFT, drift.get(0).reason(), "written by the agent: ordinary drift, with its diff");
        assertTrue(drift.get(0).detail().contains("-port = 874"), drift.toString());
    }

    @Test void aFileWithTheAgentsHeaderIsTheAgents() throws Exception {
        Path conf = Files.writeString(root.resolve("rsyncd.conf"), Ownership.HEADER + " from its state file.\nport = 1\n");
        assertEquals(Reason.CONTENT_DRIFT, config(conf, Ownership.HEADER + "\nport = 2\n").plan().get(0).reason());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
