package io.replagent.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreesTest {

    @TempDir Path dir;

    /** A tree with files, an empty directory, and links to a directory and a file outside it. */
    private Path tree(Path outside) throws IOException {
        Path top = Files.createDirectories(dir.resolve("top/a/b"));
        Files.writeString(top.resolve("f"), "x");
        Files.createDirectories(dir.resolve("top/empty"));
        Files.createSymbolicLink(dir.resolve("top/a/to-dir"), outside);
        Files.createSymbolicLink(dir.resolve("top/to-file"), outside.resolve("kept"));
        return dir.resolve("top");
    }

    private Path outside() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("kept"), "keep me");
        return outside;
    }

    @Test void deleteRemovesTheTreeButNotWhatItsLinksPointTo() throws IOException {
        Path outside = outside();
        Path top = tree(outside);
        Trees.delete(top);
        assertFalse(Files.exists(top, LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me", Files.readString(outside.resolve("kept")));
    }

    @Test void emptyKeepsTheTopDirectory() throws IOException {
        Path outside = outside();
        Path top = tree(outside);
        Trees.empty(top);
        assertTrue(Files.isDirectory(top));
        try (var list = Files.list(top)) {
            assertEquals(List.of(), list.toList());
        }
        assertEquals("keep me", Files.readString(outside.resolve("kept")));
    }

    @Test void whatDoesNotExistIsNothingToDo() throws IOException {
        Trees.delete(dir.resolve("missing"));
        Trees.empty(dir.resolve("missing"));
        Path file = Files.writeString(dir.resolve("file"), "x");
        Trees.empty(file);  // not a directory: left alone
        assertTrue(Files.exists(file));
    }

    @Test void aLinkAsTheTopIsRemovedNotFollowed() throws IOException {
        Path outside = outside();
        Path link = Files.createSymbolicLink(dir.resolve("link"), outside);
        Trees.delete(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me", Files.readString(outside.resolve("kept")));
    }
}
