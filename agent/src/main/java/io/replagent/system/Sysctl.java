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
            // One read from offset 0: /proc/sys files report size 0 and return nothing at a later offset, so
            // Files.readAllBytes (which reads one byte first, then the rest at offset 1) sees "1" for "192536".
            String text;
            try (InputStream in = Files.newInputStream(path(name))) {
                text = new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
            }
            return Optional.of(Long.parseLong(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            throw new IOException(path(name) + ": not a number");
        }
    }

    public void write(String name, long value) throws IOException {
        Files.write(path(name), (value + "\n").getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
