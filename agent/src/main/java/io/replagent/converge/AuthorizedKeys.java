package io.replagent.converge;

import io.replagent.state.PublicKey;
import io.replagent.state.Server;
import io.replagent.system.HostFiles;
import io.replagent.system.ShellWords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An ssh account's {@code ~/.ssh/authorized_keys}, 0600 and owned by the account: every line is a key of the state
 * behind {@code restrict,command="rrsync ... PATH"}, so a key can run rsync in the account's directory and nothing
 * else (no shell, no forwarding, no pty). Any other line, a key added by hand or an edited restriction, is security
 * drift: plan shows it, apply writes the file back. A keys file the agent did not write is someone else's
 * ({@link Ownership}): blocked unless settings.adopt lists it.
 */
final class AuthorizedKeys implements Resource {

    static final String HEADER = Ownership.HEADER + ": each key may run only rsync, restricted to its directory (rrsync); "
            + "apply removes any other line";
    private static final List<String> INSTALL = List.of("rrsync ships with rsync 3.2.3 and later (Debian: /usr/bin/rrsync); "
            + "install it: apt-get install rsync python3");

    private final Server.SshAccount account;
    private final Path file;
    private final String searchPath;
    private final HostFiles files;
    private final Ownership ownership;

    /** @param searchPath the PATH where rrsync is looked for */
    AuthorizedKeys(Server.SshAccount account, String searchPath, HostFiles files, Ownership ownership) {
        this.account = account;
        this.file = account.home().resolve(".ssh/authorized_keys");
        this.searchPath = searchPath;
        this.files = files;
        this.ownership = ownership;
    }

    @Override public String address() { return "file.authorized_keys[" + file + "]"; }

    @Override public List<Change> plan() throws IOException {
        Optional<Path> rrsync = rrsync(searchPath);
        if (rrsync.isEmpty()) {
            return List.of(Change.of(address(), Action.BLOCKED, Reason.MISSING, "rrsync", null, "rrsync in PATH").withDetail(INSTALL));
        }
        List<String> wanted = lines(rrsync.get());
        Set<String> foreign = foreignLines(files.read(file).orElse(new byte[0]), wanted);
        List<Change> changes = new ArrayList<>();
        for (Change c : managed(wanted).plan()) {
            boolean weakened = c.attribute().equals("content") && !foreign.isEmpty();
            changes.add(weakened ? new Change(c.resource(), c.action(), Reason.SECURITY, c.attribute(), c.before(), c.after(),
                    c.detail(), c.sensitive()) : c);
        }
        return changes;
    }

    @Override public void apply() throws IOException {
        Optional<Path> rrsync = rrsync(searchPath);
        if (rrsync.isEmpty()) throw new IOException("rrsync is missing; " + INSTALL.get(0));
        managed(lines(rrsync.get())).apply();
    }

    private ManagedFile managed(List<String> lines) {
        String content = HEADER + "\n" + String.join("\n", lines) + "\n";
        return new ManagedFile("authorized_keys", file, content.getBytes(StandardCharsets.UTF_8), 0600, account.user(), false,
                files, ownership);
    }

    /** One line per key: the restriction, then the key and its comment. */
    List<String> lines(Path rrsync) {
        // sshd runs the command through the account's shell: each path is one shell word whatever it contains
        String command = ShellWords.quote(rrsync.toString()) + " " + flags(account) + ShellWords.quote(account.path().toString());
        String options = "restrict,command=\"" + command.replace("\"", "\\\"") + "\"";
        return account.authorizedKeys().stream().map(PublicKey::parse)
                .map(k -> options + " " + k.key() + (k.comment().isEmpty() ? "" : " " + k.comment())).toList();
    }

    /**
     * -ro / -wo as the state says; -no-lock because the agent pushes in parallel (rrsync's default single-run lock
     * would refuse every push but one).
     */
    static String flags(Server.SshAccount account) {
        if (account.readOnly()) return "-ro ";
        return account.writeOnly() ? "-wo -no-lock " : "-no-lock ";
    }

    /** The lines of {@code actual} that are neither the header, blank, nor a wanted line. */
    static Set<String> foreignLines(byte[] actual, List<String> wanted) {
        return new String(actual, StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !wanted.contains(l)).collect(Collectors.toSet());
    }

    /** rrsync's absolute path: the first in PATH, as sshd's own PATH would not be the agent's. */
    static Optional<Path> rrsync(String searchPath) {
        for (String dir : searchPath.split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "rrsync");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    static String searchPath(Map<String, String> env) {
        return env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    }
}
