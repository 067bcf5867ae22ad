package io.replagent.system;

import java.io.IOException;
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
            // readAllBytes: /proc files report size 0, and offset reads return nothing
            String text = new String(Files.readAllBytes(path(name)), StandardCharsets.US_ASCII).strip();
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
