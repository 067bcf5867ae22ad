package io.replagent.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import io.replagent.system.HostFiles;
import tools.jackson.databind.JsonNode;

/**
 * The key files ssh targets read, on this host (under {@code --root}): a private key others can read or that is not
 * the agent's, and a known_hosts file others can write, are refused ({@link SshFiles}). A file that is not there yet
 * is plan's to report (client.ssh_keys may generate it, or it is deployed later).
 */
final class SshHostCheck {

    private final Problems problems;
    private final Path root;
    private final String agentUser;

    private SshHostCheck(Problems problems, Path root, String agentUser) {
        this.problems = problems;
        this.root = root;
        this.agentUser = agentUser;
    }

    static void check(JsonNode state, Problems problems, Path root) {
        new SshHostCheck(problems, root.toAbsolutePath().normalize(), SshFiles.agentUser()).all(state);
    }

    private void all(JsonNode state) {
        Set<Path> generated = new HashSet<>();
        each(state.path("client").path("ssh_keys"), "/client/ssh_keys", (key, at) -> {
            Path path = StatePath.lexical(key.path("path").asString(""));
            if (path == null) return;
            if (key.path("generate").asBoolean(true)) generated.add(path);
            else file(at + "/path", path, SshFiles::identityProblem);
        });
        each(state.path("watches"), "/watches", (w, at) -> each(w.path("targets"), at + "/targets", (t, where) -> {
            if (!t.path("url").asString("").startsWith("ssh://")) return;
            Path identity = StatePath.lexical(t.path("identity_file").asString(""));
            if (identity != null && !generated.contains(identity)) file(where + "/identity_file", identity, SshFiles::identityProblem);
            Path knownHosts = StatePath.lexical(t.path("known_hosts").asString(""));
            if (knownHosts != null) file(where + "/known_hosts", knownHosts, SshFiles::knownHostsProblem);
        }));
    }

    private interface Rule {
        Optional<String> problem(Path path, boolean regularFile, int mode, String owner, String agentUser);
    }

    /** The file where the state's paths live; reported by the path the state gives. */
    private void file(String pointer, Path path, Rule rule) {
        Path onHost = StatePath.under(root, path);
        try {
            PosixFileAttributes a = Files.readAttributes(onHost, PosixFileAttributes.class);
            rule.problem(path, a.isRegularFile(), HostFiles.toMode(a.permissions()), a.owner().getName(), agentUser)
                    .ifPresent(p -> problems.error(pointer, p));
        } catch (NoSuchFileException e) {
            // not there yet
        } catch (IOException | UnsupportedOperationException e) {
            problems.error(pointer, "cannot read " + path + ": " + e.getMessage());
        }
    }

    private static void each(JsonNode list, String pointer, BiConsumer<JsonNode, String> visitor) {
        if (!list.isArray()) return;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isObject()) visitor.accept(list.get(i), Marks.child(pointer, i));
        }
    }
}
