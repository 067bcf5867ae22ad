package io.replagent.state;

import io.replagent.system.Sysctl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;

/**
 * The one way into a {@link State}: parse, check against the schema, then the semantic checks.
 * Callers get a valid State or every problem at once.
 */
public final class StateFile {

    /** The JSON Schema of state files, as a classpath resource (the published schema/state.schema.json). */
    public static final String SCHEMA_RESOURCE = "/io/replagent/state/state.schema.json";

    private static final Sysctl HOST_KERNEL = new Sysctl(Sysctl.PROC_SYS);

    private StateFile() {}

    /**
     * @param label   the name diagnostics carry (the path as the user wrote it, or "-" for stdin)
     * @param content the file's bytes (at most 1 MiB)
     * @param env     environment for {@code {env: NAME}} secrets (checked for presence, not read into the model)
     */
    public static Loaded load(String label, byte[] content, Map<String, String> env) throws InvalidStateException {
        return load(label, content, env, Path.of("/"));
    }

    /** As {@link #load(String, byte[], Map)}, for a state whose paths live under {@code root} ({@code --root DIR}). */
    public static Loaded load(String label, byte[] content, Map<String, String> env, Path root) throws InvalidStateException {
        return load(label, content, env, false, root, HOST_KERNEL);
    }

    /**
     * Reads and loads a state file; unlike the bytes overload, it also refuses a literal password
     * ({@code {value: ...}}) when the file is readable by others.
     *
     * @throws InvalidStateException also when the file cannot be read (a diagnostic without position)
     */
    public static Loaded load(Path file, Map<String, String> env) throws InvalidStateException {
        return load(file, env, Path.of("/"));
    }

    /**
     * As {@link #load(Path, Map)}, for a state whose paths live under {@code root} ({@code --root DIR}): the checks
     * resolve paths there, and the state returned has every path under it.
     */
    public static Loaded load(Path file, Map<String, String> env, Path root) throws InvalidStateException {
        byte[] content;
        boolean readableByOthers;
        try {
            content = readAtMost(file);
            readableByOthers = Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            throw unreadable(file.toString(), e);
        }
        return load(file.toString(), content, env, readableByOthers, root, HOST_KERNEL);
    }

    /** A diagnostic without position for a file that cannot be read at all. */
    public static InvalidStateException unreadable(String label, Exception cause) {
        String why = cause instanceof java.nio.file.NoSuchFileException ? "no such file" : String.valueOf(cause.getMessage());
        return new InvalidStateException(List.of(
                new Diagnostic(Diagnostic.Severity.ERROR, label, 0, 0, 0, 0, "cannot read: " + why, null)));
    }

    /** Up to one byte over the limit: enough for the loader to refuse an oversized file without reading it all. */
    public static byte[] readAtMost(InputStream in) throws IOException {
        return in.readNBytes(YamlTree.MAX_BYTES + 1);
    }

    private static byte[] readAtMost(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readAtMost(in);
        }
    }

    static Loaded load(String label, byte[] content, Map<String, String> env, boolean readableByOthers, Path root,
                       Sysctl kernel) throws InvalidStateException {
        YamlTree.Parsed parsed = YamlTree.parse(label, content);
        Problems problems = new Problems(label, parsed.marks());
        if (!parsed.root().isObject()) {
            problems.error("", "expected a mapping starting with 'version: 1', got a " + SchemaCheck.jsonType(parsed.root()));
            throw new InvalidStateException(problems.sorted());
        }
        SchemaCheck.check(parsed.root(), problems);
        SemanticCheck.check(parsed.root(), problems, env, readableByOthers);
        HostCheck.check(parsed.root(), problems, root, kernel);
        if (problems.hasErrors()) throw new InvalidStateException(problems.sorted());
        return new Loaded(resolveSources(Reroot.apply(Binder.bind(parsed.root()), root)), problems.warnings(), content);
    }

    /** A symlinked source is resolved once, here: the watch watches the directory, never the link (HostCheck warns). */
    private static State resolveSources(State s) {
        return new State(s.version(), s.settings(), s.server(), s.client(),
                s.watches().stream().map(w -> w.withSource(StatePath.real(w.source()))).toList());
    }

    /** The hex SHA-256 of a state file's bytes: which state a running agent runs, and whether its file changed since. */
    public static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A valid state, its warnings, and the bytes it was loaded from. */
    public record Loaded(State state, List<Diagnostic> warnings, byte[] content) {
        /** Computed when asked: the digest's provider set-up is start-up time that validate and plan do not need. */
        public String sha256() {
            return StateFile.sha256(content);
        }
    }
}
