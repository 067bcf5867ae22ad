package io.replagent.replicate;

import io.replagent.system.Trees;
import io.replagent.tree.RawNames;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The staging tree of one target's renamed files, in the state directory: per rename, a sparse file of the renamed
 * file's size at the target's old name, and a hard link of it at the new name under {@link RsyncArgs#RENAMED_TO}.
 * Pushed by the link phase ({@link RsyncArgs#link}), it makes the target link its own copy of each old name into its
 * .agent/tmp/renames/ under the new name, where the batch's sends take it as their basis. Nothing of the sparse file
 * needs to travel, and whatever does lands in .agent/tmp/ only: what the mirror gets is decided by rsync's
 * checksums against the real source file.
 */
final class RenameStaging {

    /** Fewer bytes than this are sent again sooner than two more rsync sessions (the link phase, its cleanup) run. */
    static final long MIN_BYTES = 64 * 1024;

    private final Path root;
    private final Path source;

    /** @param root the tree's directory (made 0700, its contents replaced by each {@link #stage}) */
    RenameStaging(Path root, Path source) {
        this.root = root;
        this.source = source;
    }

    Path root() {
        return root;
    }

    /**
     * Writes the tree for the renames whose new name is a non-empty regular file at the source now and whose names
     * a Java path can spell (valid UTF-8); the others are sent as they would be without a pair.
     *
     * @return the renames staged; none when they hold fewer than {@link #MIN_BYTES} or the tree cannot be made
     */
    List<Renames.Rename> stage(List<Renames.Rename> renames) {
        List<Renames.Rename> staged = new ArrayList<>();
        if (renames.isEmpty()) return staged;
        long bytes = 0;
        try {
            clear();
            Files.createDirectories(root.getParent());
            if (!Files.isDirectory(root)) Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (Renames.Rename r : renames) {
                long size = stage(r);
                if (size <= 0) continue;
                staged.add(r);
                bytes += size;
            }
        } catch (IOException e) {
            staged.clear();
        }
        if (bytes < MIN_BYTES) {
            clear();
            staged.clear();
        }
        return staged;
    }

    /** Empties the tree (after a batch: its files are sparse, but each holds an inode). */
    void clear() {
        try {
            Trees.empty(root);
        } catch (IOException e) {
            // what is left is replaced by the next stage() or found there by the next start
        }
    }

    /** Stages one rename; its size, or 0 when it is not staged. */
    private long stage(Renames.Rename r) {
        if (!spellable(r.from()) || !spellable(r.to())) return 0;
        Path old = root.resolve(RawNames.display(r.from()));
        Path renamed = root.resolve(RsyncArgs.RENAMED_TO).resolve(RawNames.display(r.to()));
        long size;
        try {
            BasicFileAttributes now = Files.readAttributes(source.resolve(RawNames.display(r.to())), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!now.isRegularFile() || now.size() == 0) return 0;
            size = now.size();
            Files.createDirectories(old.getParent());
            Files.createFile(old); // fails for a name staged already, or where a staged name is a directory
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        try {
            try (RandomAccessFile f = new RandomAccessFile(old.toFile(), "rw")) {
                f.setLength(size); // sparse: no block written
            }
            Files.createDirectories(renamed.getParent());
            Files.createLink(renamed, old);
            return size;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException left) {
                // the next stage() empties the tree
            }
            return 0;
        }
    }

    /** A relative raw path a Java path names exactly: valid UTF-8, no empty, "." or ".." component. */
    private static boolean spellable(String raw) {
        if (raw.isEmpty() || !RawNames.isUtf8(raw)) return false;
        for (String part : raw.split("/", -1)) if (part.isEmpty() || part.equals(".") || part.equals("..")) return false;
        return true;
    }
}
