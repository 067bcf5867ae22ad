package io.replagent.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

/**
 * The one way the agent replaces a file: a temp file created 0600 in the same directory (no reader ever sees the
 * content with looser bits, and the rename cannot cross filesystems), written and fsynced, given its owner and mode,
 * renamed over the target, then the directory fsynced so the rename survives a crash. The temp file is removed on
 * every failure path; on failure the previous file is left as it was.
 */
public final class AtomicFile {

    private AtomicFile() {}

    /** Replaces {@code path} with {@code content}, mode {@code mode}, owned by whoever runs the agent. */
    public static void write(Path path, byte[] content, int mode) throws IOException {
        write(path, content, mode, null);
    }

    /** As {@link #write(Path, byte[], int)}, owned by {@code owner} when it is not null. */
    public static void write(Path path, byte[] content, int mode, UserPrincipal owner) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(HostFiles.toPermissions(0600)));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.force(true);
            }
            if (owner != null) Files.setOwner(temp, owner);
            if (mode != 0600) Files.setPosixFilePermissions(temp, HostFiles.toPermissions(mode));
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
