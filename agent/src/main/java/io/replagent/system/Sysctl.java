package io.replagent.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Kernel parameters under {@code /proc/sys}, by dotted name ({@code fs.inotify.max_user_watches}).
 * The root is injectable so the logic runs against a temp directory in tests.
 */
public final class Sysctl {

    public static final Path PROC_SYS = Path.of("/proc/sys");

    private final Path root;

    public Sysctl(Path root) {
        this.root = root;
    }

    public Path path(String name) {
        return root.resolve(name.replace('.', '/'));
    }

    public Optional<Long> read(String name) throws IOException {
        try {
            return Optional.of(Long.parseLong(readProc(path(name))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            throw new IOException(path(name) + ": not a number");
        }
    }

    /** Like {@link #read}, for messages: the value, or -1 when it cannot be read. */
    public long readOr(String name, long fallback) {
        try {
            return read(name).orElse(fallback);
        } catch (IOException e) {
            return fallback;
        }
    }

    /**
     * A /proc file's text in ONE read: /proc files report size 0 and a read at a non-zero offset returns nothing,
     * so Files.readAllBytes (which reads the first byte alone, then the rest) yields only the first digit.
     */
    private static String readProc(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII).strip();
        }
    }

    public void write(String name, long value) throws IOException {
        Files.write(path(name), (value + "\n").getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
