package io.replagent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compares two trees: the same paths (names as raw bytes: a Path from a directory listing keeps them), the same
 * types, sizes and content hashes. Symlinks compare by their target. The copy's reserved {@code .agent/} at its root
 * (the agent's own directory on a target: rsync's temp files, later history) is not part of the mirror.
 */
public final class Trees {

    private Trees() {}

    /** The differences of {@code copy} from {@code source}, empty when equal. */
    public static List<String> differences(Path source, Path copy) {
        List<String> out = new ArrayList<>();
        compare(source, copy, out, true);
        return out;
    }

    /** Polls (50 ms) until the trees are equal or the deadline passes; then fails with the differences. */
    public static void awaitEqual(Path source, Path copy, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> diff;
        while (!(diff = differences(source, copy)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("trees differ after " + timeout + ": " + diff.size() + " differences, first "
                        + diff.subList(0, Math.min(10, diff.size())));
            }
            RsyncDaemon.sleep(50);
        }
    }

    public static void assertEqual(Path source, Path copy) {
        List<String> diff = differences(source, copy);
        if (!diff.isEmpty()) throw new AssertionError(diff.size() + " differences, first " + diff.subList(0, Math.min(10, diff.size())));
    }

    /** A snapshot of a tree with its modes, times and links ({@code cp -a}); {@code to} is created first. */
    public static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            Process cp = new ProcessBuilder("cp", "-a", from + "/.", to.toString()).inheritIO().start();
            if (cp.waitFor() != 0) throw new IOException("cp -a " + from + " " + to + " exited " + cp.exitValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Regular files under a tree. */
    public static long countFiles(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compare(Path a, Path b, List<String> out, boolean top) {
        List<Path> left = list(a);
        List<Path> right = list(b);
        if (right == null) {
            out.add("missing dir " + b);
            return;
        }
        if (top) right = right.stream().filter(p -> !p.getFileName().toString().equals(".agent")).toList();
        for (Path r : right) {
            if (!Files.exists(a.resolve(r.getFileName()), LinkOption.NOFOLLOW_LINKS)) out.add("extra " + r);
        }
        for (Path l : left) {
            Path r = b.resolve(l.getFileName());
            try {
                if (Files.isSymbolicLink(l)) {
                    if (!Files.isSymbolicLink(r) || !Files.readSymbolicLink(l).equals(Files.readSymbolicLink(r)))
                        out.add("link differs " + r);
                } else if (Files.isDirectory(l, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS)) out.add("missing dir " + r);
                    else compare(l, r, out, false);
                } else if (!Files.isRegularFile(r, LinkOption.NOFOLLOW_LINKS)) {
                    out.add("missing " + r);
                } else if (Files.size(l) != Files.size(r) || !sha1(l).equals(sha1(r))) {
                    out.add("content differs " + r);
                }
            } catch (IOException e) {
                out.add("unreadable " + r + ": " + e.getMessage());
            }
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            return List.of(); // vanished while the writer works: compared again at the next poll
        }
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
