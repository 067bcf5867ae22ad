package io.replagent.system;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
class HostFilesTest {

    @TempDir Path root;
    private final HostFiles files = new HostFiles();

    @Test void modeBitsRoundTrip() {
        for (int mode : new int[] {0, 0600, 0644, 0755, 0777, 0640, 0001})
            assertEquals(mode, HostFiles.toMode(HostFiles.toPermissions(mode)), Integer.toOctalString(mode));
        assertThrows(IllegalArgumentException.class, () -> HostFiles.toPermissions(04755));
    }

    @Test void atomicWriteReplacesContentModeAndOwnerAndLeavesNoTempFile() throws IOException {
        Path path = root.resolve("etc/app/secret");
        files.writeAtomically(path, "one\n".getBytes(), 0600, "daemon");
        assertEquals(Optional.of(new HostFiles.Stat(false, true, 0600, "daemon")), files.stat(path));
        files.writeAtomically(path, "two\n".getBytes(), 0640, "root");
        assertArrayEquals("two\n".getBytes(), files.read(path).orElseThrow());
        assertEquals(Optional.of(new HostFiles.Stat(false, true, 0640, "root")), files.stat(path));
        try (var listing = Files.list(path.getParent())) {
            assertEquals(List.of(path), listing.toList());
        }
    }

    @Test void absentPathsAreEmptyNotErrors() throws IOException {
        assertEquals(Optional.empty(), files.stat(root.resolve("nope")));
        assertEquals(Optional.empty(), files.read(root.resolve("nope")));
    }

    @Test void statDoesNotFollowALink() throws IOException {
        Path target = Files.writeString(root.resolve("t"), "x");
        Path link = Files.createSymbolicLink(root.resolve("l"), target);
        HostFiles.Stat stat = files.stat(link).orElseThrow();
        assertEquals(false, stat.regularFile() || stat.directory());
    }

    @Test void makeDirectoryAppliesModeAndOwnerAndRefusesAFileInTheWay() throws IOException {
        Path dir = root.resolve("a/b");
        files.makeDirectory(dir, 0750, "daemon");
        assertEquals(Optional.of(new HostFiles.Stat(true, false, 0750, "daemon")), files.stat(dir));
        files.makeDirectory(dir, 0700, "root");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        IOException noUser = assertThrows(IOException.class, () -> files.setOwner(dir, "no-such-user-xyz"));
        assertEquals("no such user: no-such-user-xyz", noUser.getMessage());
        Path file = Files.writeString(root.resolve("f"), "");
        assertThrows(IOException.class, () -> files.makeDirectory(file, 0755, "root"));
    }
}
