package io.replagent.converge;

import io.replagent.state.Client;
import io.replagent.state.PublicKey;
import io.replagent.system.HostFiles;
import io.replagent.system.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A key pair ssh targets log in with ({@code client.ssh_keys}): ed25519 from ssh-keygen when the private key is
 * missing, never replaced when it is there. The private key is 0600 and the agent's (anything looser is security
 * drift); the public key beside it ({@code .pub}, 0644) is derived from the private one and rewritten when it does
 * not match. The key's content never reaches the plan; its public half is an output.
 */
final class SshKey implements Resource {

    static final String KNOWN_AFTER_APPLY = "(known after apply)";
    private static final Duration KEYGEN_TIMEOUT = Duration.ofSeconds(30);

    private final Client.SshKey key;
    private final Path publicKey;
    private final String owner;
    private final HostFiles files;
    private final Processes processes;

    SshKey(Client.SshKey key, String owner, HostFiles files, Processes processes) {
        this.key = key;
        this.publicKey = Path.of(key.path() + ".pub");
        this.owner = owner;
        this.files = files;
        this.processes = processes;
    }

    @Override public String address() { return "ssh_key[" + key.path() + "]"; }

    @Override public List<Change> plan() throws IOException {
        Optional<HostFiles.Stat> stat = files.stat(key.path());
        if (stat.isEmpty()) {
            return List.of(key.generate()
                    ? Change.of(address(), Action.CREATE, Reason.MISSING, "key pair", null, "ed25519, private 0600, public " + publicKey + " 0644")
                    : Change.of(address(), Action.BLOCKED, Reason.MISSING, "key pair", null, "a private key (generate: false)"));
        }
        if (!stat.get().regularFile()) {
            return List.of(Change.of(address(), Action.BLOCKED, Reason.UNAVAILABLE, "key pair", "not a regular file", "a private key"));
        }
        List<Change> changes = new ArrayList<>(Attributes.drift(address(), stat.get(), 0600, owner, true));
        // ssh-keygen refuses to read a key others can read: apply repairs the mode first, then the public key
        if (!changes.isEmpty()) return changes;
        Processes.Result derived = derive();
        if (!derived.ok()) {
            changes.add(Change.of(address(), Action.BLOCKED, Reason.UNAVAILABLE, "key pair", "unusable", "a private key without passphrase")
                    .withDetail(List.of("ssh-keygen -y: " + derived.firstLine(), "the agent runs ssh without a terminal: "
                            + "the key cannot have a passphrase")));
            return changes;
        }
        Optional<HostFiles.Stat> pub = files.stat(publicKey);
        if (pub.isEmpty()) {
            changes.add(Change.of(address(), Action.CREATE, Reason.MISSING, "public key", null, publicKey + ", 0644"));
        } else {
            if (!matches(files.read(publicKey).orElse(new byte[0]), derived.out())) {
                changes.add(Change.of(address(), Action.UPDATE, Reason.CONTENT_DRIFT, "public key", "another key", "derived from the private key"));
            }
            for (Change c : Attributes.drift(address(), pub.get(), 0644, owner, false)) {
                changes.add(new Change(c.resource(), c.action(), c.reason(), "public key " + c.attribute(), c.before(), c.after(),
                        c.detail(), false));
            }
        }
        return changes;
    }

    /** The public key, for plan's outputs: what a playbook hands to the backup host's state. */
    @Override public Map<String, String> outputs() throws IOException {
        if (files.stat(key.path()).isEmpty()) return Map.of(address(), KNOWN_AFTER_APPLY);
        Processes.Result derived = derive();
        return derived.ok() ? Map.of(address(), derived.out().strip()) : Map.of();
    }

    @Override public void apply() throws IOException {
        Optional<HostFiles.Stat> stat = files.stat(key.path());
        if (stat.isEmpty()) {
            generate();
            return;
        }
        Attributes.repair(files, key.path(), stat.get(), 0600, owner);
        Processes.Result derived = derive();
        if (!derived.ok()) throw new IOException("ssh-keygen -y " + key.path() + ": " + derived.firstLine());
        Optional<byte[]> current = files.read(publicKey);
        if (current.isEmpty() || !matches(current.get(), derived.out())) {
            files.writeAtomically(publicKey, (derived.out().strip() + "\n").getBytes(StandardCharsets.UTF_8), 0644, owner);
        } else {
            Attributes.repair(files, publicKey, files.stat(publicKey).orElseThrow(), 0644, owner);
        }
    }

    /** Generated under a temporary name and renamed, public key first: the private key appears whole or not at all. */
    private void generate() throws IOException {
        files.makeParents(key.path());
        Path temp = key.path().resolveSibling("." + key.path().getFileName() + ".new-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", temp.toString()));
        if (!key.comment().isEmpty()) argv.addAll(List.of("-C", key.comment()));
        try {
            Processes.Result r = processes.run(argv, Map.of(), KEYGEN_TIMEOUT);
            if (!r.ok()) throw new IOException("ssh-keygen: " + r.firstLine());
            Path tempPublic = Path.of(temp + ".pub");
            files.setOwner(temp, owner);
            files.setOwner(tempPublic, owner);
            files.setMode(tempPublic, 0644);
            Files.move(tempPublic, publicKey, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, key.path(), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(Path.of(temp + ".pub"));
        }
    }

    /** The public key of the private one, from ssh-keygen (an empty passphrase: a protected key fails instead of prompting). */
    private Processes.Result derive() throws IOException {
        return processes.run(List.of("ssh-keygen", "-y", "-P", "", "-f", key.path().toString()), Map.of(), KEYGEN_TIMEOUT);
    }

    /** The same key (type and data); the comment may differ. */
    static boolean matches(byte[] publicFile, String derived) {
        try {
            return PublicKey.parse(new String(publicFile, StandardCharsets.UTF_8)).key().equals(PublicKey.parse(derived).key());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
