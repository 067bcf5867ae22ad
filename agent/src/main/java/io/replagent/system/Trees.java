package io.replagent.system;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one way the agent removes a tree it made (scratch directories, history batches, staging trees): depth first,
 * never following a link (a link is removed, not what it points to), and what vanished meanwhile is not an error.
 */
public final class Trees {

    private Trees() {}

    /** Removes {@code top} and everything under it; nothing when it does not exist. */
    public static void delete(Path top) throws IOException {
        remove(top, true);
    }

    /** Removes everything under the directory {@code top}, keeping {@code top}; nothing when it is not a directory. */
    public static void empty(Path top) throws IOException {
        if (Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) remove(top, false);
    }

    private static void remove(Path top, boolean withTop) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }

            @Override public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) throw e;
                if (withTop || !dir.equals(top)) Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
