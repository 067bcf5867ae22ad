package io.replagent.replicate;

import io.replagent.tree.RawNames;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;

/** The two questions the pure parts ask of the source on disk, answered by the file system. */
final class SourceTree {

    private SourceTree() {}

    /** Whether a raw relative path is a directory at the source now (for the job planner). */
    static Predicate<String> directories(Path root) {
        return raw -> Files.isDirectory(root.resolve(RawNames.display(raw)), LinkOption.NOFOLLOW_LINKS);
    }

    /** Regular files under the source, the walk stopping once {@code enough} are seen (for the delete guard). */
    static DeleteGuard.FileCount files(Path root) {
        return enough -> {
            long[] count = {0};
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) count[0]++;
                        return count[0] >= enough ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                    }

                    @Override public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                return count[0];
            }
            return count[0];
        };
    }
}
