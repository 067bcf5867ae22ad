package io.replagent.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFileTest {

    @TempDir Path dir;

    @Test void replacesTheFileWithTheGivenModeAndLeavesNoTempFile() throws IOException {
        Path file = dir.resolve("sub/status.json");
        AtomicFile.write(file, "one".getBytes(), 0600);
        AtomicFile.write(file, "two".getBytes(), 0644);
        assertArrayEquals("two".getBytes(), Files.readAllBytes(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var list = Files.list(file.getParent())) {
            assertEquals(1, list.count());
        }
    }

    @Test void aFailedWriteKeepsThePreviousFileAndRemovesItsTempFile() throws IOException {
        Path file = dir.resolve("queue");
        AtomicFile.write(file, "good".getBytes(), 0600);
        // a directory where the file should go: the rename fails after the temp file was written
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("child"));
        assertThrows(IOException.class, () -> AtomicFile.write(blocked, "new".getBytes(), 0600));
        assertArrayEquals("good".getBytes(), Files.readAllBytes(file));
        try (var list = Files.list(dir)) {
            assertEquals(2, list.count(), "only 'queue' and 'blocked': no temp file left");
        }
    }
}
