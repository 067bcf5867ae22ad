package io.replagent.system;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files as the converger sees them: content, permission bits and owner. Never follows a symlink at the
 * managed path itself, so a link planted where a secrets file belongs is reported rather than written through.
 */
public final class HostFiles {

    /** What a path is on disk. {@code mode} holds the permission bits only (e.g. 0600). */
    public record Stat(boolean directory, boolean regularFile, int mode, String owner) {}

    public Optional<Stat> stat(Path path) throws IOException {
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new Stat(a.isDirectory(), a.isRegularFile(), toMode(a.permissions()), a.owner().getName()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public Optional<byte[]> read(Path path) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces {@code path} atomically with the given mode and owner ({@link AtomicFile}). */
    public void writeAtomically(Path path, byte[] content, int mode, String owner) throws IOException {
        AtomicFile.write(path, content, mode, principal(owner));
    }

    /** Creates the missing parent directories of a path (with the umask's mode, as mkdir -p). */
    public void makeParents(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }

    /** Creates a directory (and missing parents) with the given mode and owner. */
    public void makeDirectory(Path path, int mode, String owner) throws IOException {
        makeParents(path);
        try {
            Files.createDirectory(path);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) throw new IOException(path + " exists and is not a directory");
        }
        setMode(path, mode);
        setOwner(path, owner);
    }

    public void setMode(Path path, int mode) throws IOException {
        Files.setPosixFilePermissions(path, toPermissions(mode));
    }

    public void setOwner(Path path, String owner) throws IOException {
        Files.setOwner(path, principal(owner));
    }

    private static UserPrincipal principal(String name) throws IOException {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("no such user: " + name); // its own message is null
        }
    }

    private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    /** The permission bits as a mode number (0600). */
    public static int toMode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int bit = 0; bit < BITS.length; bit++) if (permissions.contains(BITS[bit])) mode |= 1 << bit;
        return mode;
    }

    static Set<PosixFilePermission> toPermissions(int mode) {
        if ((mode & ~0777) != 0) throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + ": only permission bits (0-0777) are managed");
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) if ((mode & (1 << bit)) != 0) permissions.add(BITS[bit]);
        return permissions;
    }
}
