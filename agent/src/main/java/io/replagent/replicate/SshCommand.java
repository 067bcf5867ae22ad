package io.replagent.replicate;

import io.replagent.state.PublicKey;
import io.replagent.state.Target;
import io.replagent.system.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the agent reaches one ssh target. Everything it runs over the target (pushes, moves, probes, audits, restores)
 * is this one ssh: it reads only the agent's own config file ({@code -F}, never ~/.ssh/config or /etc/ssh/ssh_config),
 * which pins the host keys ({@code StrictHostKeyChecking yes} against the agent's known_hosts, written from
 * host_key, and the operator's known_hosts), offers only the target's identity, never prompts, and times out; and it
 * shares one connection ({@code ControlMaster auto} with a socket beside the config), so a burst of batches pays one
 * handshake.
 *
 * <p>No path can be split or become an option: paths live in the config file, quoted as ssh_config reads them, with
 * {@code %} escaped from ssh's token expansion; the one path on the command line (the config's) and the control
 * socket's are quoted for rsync's own splitting of {@code -e}. ({@code ${} cannot be escaped for ssh: validation
 * refuses it.) The config and known_hosts are the agent's state (0600, in a 0700 directory), rewritten whenever the
 * pipeline starts.
 */
final class SshCommand {

    static final String SSH = "ssh";
    /** Seconds an idle shared connection stays open after its last use. */
    static final int CONTROL_PERSIST_SECONDS = 60;
    /** The agent's defaults; ssh_options may set others. */
    static final Map<String, String> DEFAULTS = Map.of("ConnectTimeout", "10", "ServerAliveInterval", "15", "ServerAliveCountMax", "3");
    /**
     * On the command line, not in the config: ssh reaches the jump host with a second ssh that reads the same config
     * ({@code -F}: the same pinned known_hosts and key), which must not jump again.
     */
    static final String JUMP = "ProxyJump";

    private final Target.Ssh target;
    private final Path dir;
    private final String id;
    private final boolean shared;

    /** @param stateDir the agent's state_dir: its files go to {@code ssh/} there */
    SshCommand(Target.Ssh target, Path stateDir) {
        this(target, stateDir, true);
    }

    /** @param shared false: every ssh makes its own connection (only to measure what sharing saves) */
    SshCommand(Target.Ssh target, Path stateDir, boolean shared) {
        this.target = target;
        this.dir = stateDir.resolve("ssh");
        this.id = id(target);
        this.shared = shared;
    }

    /**
     * Names the connection, not the remote path: targets that reach the same account with the same key and trust
     * share files and connection; any difference (a key, a pinned host key, an option) gets its own.
     */
    static String id(Target.Ssh t) {
        String identity = t.user() + "@" + t.host() + ":" + t.port() + " " + t.access();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    Path configFile() { return dir.resolve(id + ".config"); }

    Path knownHostsFile() { return dir.resolve(id + ".known_hosts"); }

    Path controlSocket() { return dir.resolve(id + ".sock"); }

    /** The known_hosts lines of the pinned keys, under the name ssh looks them up by ({@code [host]:port} off port 22). */
    String knownHosts() {
        String name = target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
        StringBuilder lines = new StringBuilder("# written by agent from host_key: the keys it accepts for " + name + "\n");
        for (String line : target.access().hostKeys()) lines.append(name).append(' ').append(PublicKey.parse(line).key()).append('\n');
        return lines.toString();
    }

    /** The config every ssh over this target reads. Options the agent fixes come first: in ssh_config the first value wins. */
    String config() {
        List<String> lines = new ArrayList<>();
        lines.add("# written by agent for " + target.rsyncDestination() + ": every ssh it runs over this target reads this file (ssh -F)");
        lines.add("BatchMode yes");
        lines.add("StrictHostKeyChecking yes");
        List<String> trusted = new ArrayList<>();
        if (!target.access().hostKeys().isEmpty()) trusted.add(path(knownHostsFile().toString()));
        target.access().knownHosts().ifPresent(p -> trusted.add(path(p.toString())));
        lines.add("UserKnownHostsFile " + String.join(" ", trusted));
        lines.add("GlobalKnownHostsFile none");
        lines.add("UpdateHostKeys no");
        lines.add("CheckHostIP no");
        lines.add("VerifyHostKeyDNS no");
        lines.add("IdentitiesOnly yes");
        lines.add("IdentityAgent none");
        lines.add("IdentityFile " + path(target.access().identityFile().orElseThrow().toString()));
        lines.add("PreferredAuthentications publickey");
        lines.add("PasswordAuthentication no");
        lines.add("KbdInteractiveAuthentication no");
        lines.add("ForwardAgent no");
        lines.add("ForwardX11 no");
        lines.add("ClearAllForwardings yes");
        lines.add("PermitLocalCommand no");
        Map<String, String> options = new TreeMap<>(DEFAULTS);
        options.putAll(target.access().options());
        options.remove(JUMP);
        // as written: the schema admits only plain words, and ssh reads some values (ProxyJump, RekeyLimit "1G 1h")
        // from the rest of the line, where quotes would stay
        options.forEach((name, value) -> lines.add(name + " " + value));
        return String.join("\n", lines) + "\n";
    }

    /** The ssh argv for a remote command over this target (a probe, a check), connection shared. */
    List<String> argv(List<String> remoteCommand) {
        List<String> argv = new ArrayList<>(words());
        argv.add(target.user() + "@" + target.host());
        argv.addAll(remoteCommand);
        return argv;
    }

    /**
     * Opens the shared connection and returns once it is up: the master authenticates, prints the host key's
     * fingerprint ({@code VisualHostKey}) and goes to the background, where it stays until idle for
     * {@link #CONTROL_PERSIST_SECONDS} (no session: {@code -N}).
     */
    List<String> master() {
        List<String> argv = new ArrayList<>(words());
        argv.set(argv.indexOf("-oControlMaster=auto"), "-oControlMaster=yes");
        argv.add("-oVisualHostKey=yes");
        argv.add("-N");
        argv.add(target.user() + "@" + target.host());
        return argv;
    }

    /** {@code ssh -O check|exit}: asks the shared connection's master whether it runs, or to end. */
    List<String> control(String operation) {
        List<String> argv = new ArrayList<>(words());
        argv.add("-O");
        argv.add(operation);
        argv.add(target.user() + "@" + target.host());
        return argv;
    }

    /**
     * rsync's {@code -e}: the same ssh as {@link #argv}, as one string rsync splits on spaces, honouring single and
     * double quotes (a quote doubled inside quotes is the quote itself). rsync adds {@code -l USER HOST}.
     */
    String rsyncShell() {
        List<String> quoted = new ArrayList<>();
        for (String word : words()) quoted.add(rsyncWord(word));
        return String.join(" ", quoted);
    }

    private List<String> words() {
        List<String> words = new ArrayList<>(List.of(SSH, "-F", configFile().toString(), "-p", Integer.toString(target.port())));
        String jump = target.access().options().get(JUMP);
        if (jump != null) words.add("-o" + JUMP + "=" + jump);
        if (shared) {
            words.addAll(List.of("-oControlMaster=auto", "-oControlPath=" + path(controlSocket().toString()),
                    "-oControlPersist=" + CONTROL_PERSIST_SECONDS));
        } else {
            words.addAll(List.of("-oControlMaster=no", "-oControlPath=none"));
        }
        return words;
    }

    boolean shared() {
        return shared;
    }

    /** Writes the config and known_hosts (0600) in a 0700 directory. */
    void writeFiles() throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (!target.access().hostKeys().isEmpty()) AtomicFile.write(knownHostsFile(), knownHosts().getBytes(StandardCharsets.UTF_8), 0600);
        AtomicFile.write(configFile(), config().getBytes(StandardCharsets.UTF_8), 0600);
    }

    /** A path as ssh_config reads it: one quoted token, {@code %} not taken for a token. */
    static String path(String path) {
        return quoted(path.replace("%", "%%"));
    }

    /** One ssh_config token: in double quotes, backslash and double quote escaped. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** One word of rsync's {@code -e} splitting. */
    static String rsyncWord(String word) {
        return word.matches("[A-Za-z0-9/._=+,:@-]+") ? word : "'" + word.replace("'", "''") + "'";
    }
}
