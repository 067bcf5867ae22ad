package io.replagent.replicate;

import io.replagent.replicate.Renames.Rename;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The staging tree on a real file system (a temp dir): sparse files, hard links, what is left out. */
class RenameStagingTest {

    @TempDir Path tmp;

    private Path source() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("d"));
        Files.write(src.resolve("d/new"), new byte[100_000]);
        Files.write(src.resolve("-x\nline"), new byte[70_000]);
        Files.write(src.resolve("empty"), new byte[0]);
        Files.createSymbolicLink(src.resolve("link"), src.resolve("d/new"));
        Files.createDirectories(src.resolve("dir"));
        return src;
    }

    @Test void eachRenameIsASparseFileAtTheOldNameLinkedAtTheNewOne() throws Exception {
        Path src = source();
        RenameStaging staging = new RenameStaging(tmp.resolve("state/renames/w@t"), src);
        String notUtf8 = new String(new byte[] {'b', (byte) 0xff}, StandardCharsets.ISO_8859_1);
        List<Rename> renames = List.of(new Rename("old/a", "d/new"), new Rename("o2", "-x\nline"), new Rename("o3", "empty"),
                new Rename("o4", "link"), new Rename("o5", "dir"), new Rename("o6", "gone"), new Rename(notUtf8, "d/new"),
                new Rename("old/a", "-x\nline"));
        assertEquals(List.of(new Rename("old/a", "d/new"), new Rename("o2", "-x\nline")), staging.stage(renames),
                "not: empty, a symlink, a directory, gone, a name Java cannot spell, an old name staged already");
        Path root = staging.root();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        Path old = root.resolve("old/a");
        Path renamed = root.resolve(".agent/to/d/new");
        assertEquals(100_000, Files.size(old));
        assertEquals(Files.getAttribute(old, "unix:ino"), Files.getAttribute(renamed, "unix:ino"));
        assertEquals(2, Files.getAttribute(old, "unix:nlink"));
        assertTrue(blocks(old) < 100_000 / 512, "sparse: no data blocks");
        assertTrue(Files.exists(root.resolve(".agent/to/-x\nline")));
        try (Stream<Path> all = Files.walk(root)) {
            assertEquals(List.of(".agent/to/-x\nline", ".agent/to/d/new", "o2", "old/a"), all.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString()).sorted().toList(), "nothing else staged");
        }
        assertEquals(List.of(new Rename("o2", "-x\nline")), staging.stage(List.of(new Rename("o2", "-x\nline"))),
                "each stage replaces the tree");
        assertFalse(Files.exists(old));
        staging.clear();
        try (Stream<Path> all = Files.list(root)) {
            assertEquals(0, all.count());
        }
    }

    @Test void tooFewBytesAreNotWorthALinkPhase() throws Exception {
        Path src = source();
        Files.write(src.resolve("small"), new byte[(int) RenameStaging.MIN_BYTES - 1]);
        RenameStaging staging = new RenameStaging(tmp.resolve("s"), src);
        assertEquals(List.of(), staging.stage(List.of(new Rename("a", "small"))));
        assertTrue(Files.isDirectory(staging.root(), LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> all = Files.list(staging.root())) {
            assertEquals(0, all.count());
        }
    }

    private static long blocks(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
        return Long.parseLong(new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
}
