package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replagent.system.HostFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
class DirectoryTest {

    @TempDir Path root;

    @Test void createdWithModeAndOwnerThenDriftIsCorrected() throws Exception {
        Path path = root.resolve("srv/data");
        Directory dir = new Directory(path, 0750, "daemon", new HostFiles());
        assertEquals(List.of(Change.of(dir.address(), Action.CREATE, Reason.MISSING, "directory", null, "owner daemon, mode 0750")), dir.plan());
        dir.apply();
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals("daemon", Files.getOwner(path).getName());
        assertEquals(List.of(), dir.plan());

        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        assertEquals(List.of(Change.of(dir.address(), Action.UPDATE, Reason.MODE_DRIFT, "mode", "0777", "0750"),
                Change.of(dir.address(), Action.UPDATE, Reason.OWNER_DRIFT, "owner", "root", "daemon")), dir.plan());
        dir.apply();
        assertEquals(List.of(), dir.plan());
    }

    @Test void aFileInTheWayBlocks() throws Exception {
        Path path = Files.writeString(root.resolve("data"), "x");
        assertEquals(Action.BLOCKED, new Directory(path, 0755, "root", new HostFiles()).plan().get(0).action());
    }
}
