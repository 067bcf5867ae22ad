package io.replagent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A filesystem mounted for one test under its own scratch directory (root only), named so it can be traced
 * ({@code agent-test-…}), and always unmounted when closed, also when the test failed or unmounted it already:
 * <pre>
 *   try (ScratchMount m = ScratchMount.tmpfs(dir)) { ...; m.unmount(); ...; m.mountAgain(); }
 * </pre>
 */
public final class ScratchMount implements AutoCloseable {

    private final Path dir;
    private final List<String> mountCommand;

    private ScratchMount(Path dir, List<String> mountCommand) {
        this.dir = dir;
        this.mountCommand = mountCommand;
    }

    /** A small tmpfs at {@code dir} (created when missing). */
    public static ScratchMount tmpfs(Path dir) throws IOException {
        Files.createDirectories(dir);
        ScratchMount m = new ScratchMount(dir, List.of("mount", "-t", "tmpfs", "-o", "size=64m", "agent-test-tmpfs", dir.toString()));
        m.mountAgain();
        return m;
    }

    /** An overlay of {@code lower} with upper and work directories beside {@code dir}. */
    public static ScratchMount overlay(Path lower, Path dir) throws IOException {
        Path upper = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".upper"));
        Path work = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".work"));
        Files.createDirectories(dir);
        ScratchMount m = new ScratchMount(dir, List.of("mount", "-t", "overlay", "agent-test-overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, dir.toString()));
        m.mountAgain();
        return m;
    }

    public Path dir() {
        return dir;
    }

    public void mountAgain() throws IOException {
        run(mountCommand);
    }

    public void unmount() throws IOException {
        run(List.of("umount", dir.toString()));
    }

    public boolean mounted() throws IOException {
        String table = Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1);
        String point = " " + dir.toString().replace("\\", "\\134").replace(" ", "\\040") + " ";
        return table.lines().anyMatch(line -> line.contains(point));
    }

    /** Unmounts every layer still mounted here (lazily, so a busy one goes too). */
    @Override public void close() throws IOException {
        for (int i = 0; i < 5 && mounted(); i++) run(List.of("umount", "-l", dir.toString()));
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
