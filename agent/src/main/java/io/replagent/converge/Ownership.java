package io.replagent.converge;

import io.replagent.system.HostFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which existing files are the agent's to replace: those it wrote itself (its record, {@code STATE_DIR/written-files},
 * one path a line) and those the state adopts explicitly ({@code settings.adopt}). A file that carries the agent's
 * header counts as written by it too: files of versions before the record, and a lost state directory.
 * Anything else already at a managed path belongs to someone else: plan shows its size and hash and blocks.
 */
final class Ownership {

    static final String RECORD = "written-files";
    static final String HEADER = "# Managed by agent";

    private final Path record;
    private final Set<Path> adopted;
    private final HostFiles files;
    private Set<String> written;

    Ownership(Path stateDir, Collection<Path> adopted, HostFiles files) {
        this.record = stateDir.resolve(RECORD);
        this.adopted = Set.copyOf(adopted);
        this.files = files;
    }

    /** The agent wrote the file at {@code path} (it is in the record, or its content starts with the header). */
    boolean wrote(Path path, byte[] content) throws IOException {
        return written().contains(path.toString()) || new String(content, 0, Math.min(content.length, HEADER.length()),
                StandardCharsets.UTF_8).equals(HEADER);
    }

    boolean adopted(Path path) {
        return adopted.contains(path);
    }

    /** Notes that the agent has written {@code path}: from now on it is the agent's to replace. */
    void recordWritten(Path path) throws IOException {
        if (written().add(path.toString()))
            files.writeAtomically(record, (String.join("\n", written()) + "\n").getBytes(StandardCharsets.UTF_8), 0600, Converger.ROOT);
    }

    private Set<String> written() throws IOException {
        if (written == null) {
            written = new TreeSet<>();
            files.read(record).ifPresent(b -> new String(b, StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).forEach(written::add));
        }
        return written;
    }
}
