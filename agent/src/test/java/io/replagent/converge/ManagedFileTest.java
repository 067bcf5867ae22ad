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

    private ManagedFile secret(Path path, String content) {
        return new ManagedFile("secrets", path, content.getBytes(StandardCharsets.UTF_8), 0600, "root", true, files);
    }

    private ManagedFile config(Path path, String content) {
        return new ManagedFile("conf", path, content.getBytes(StandardCharsets.UTF_8), 0644, "root", false, files);
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
        Files.writeString(path, "u:old\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        List<Change> plan = secret(path, "u:new\n").plan();
        assertEquals(List.of(new Change("file.secrets[" + path + "]", Action.UPDATE, Reason.CONTENT_DRIFT, "content", null, null, List.of(), true)), plan);
        assertFalse(plan.toString().contains("old") || plan.toString().contains("new"));
    }

    @Test void aConfigContentChangeCarriesALineDiff() throws Exception {
        Path path = root.resolve("rsyncd.conf");
        Files.writeString(path, "a\nb\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
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
}
