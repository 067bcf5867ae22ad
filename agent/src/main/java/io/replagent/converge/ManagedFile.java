package io.replagent.converge;

import io.replagent.system.HostFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A file whose whole content the state decides: rsyncd.conf, the secrets file, client password files, the
 * sysctl drop-in. Written atomically with its mode and owner; content of a secret is never shown. An existing file
 * the agent did not write ({@link Ownership}) is never replaced unless the state adopts it, and its content is never
 * shown either, only its size and hash.
 */
final class ManagedFile implements Resource {

    private final String address;
    private final Path path;
    private final byte[] content;
    private final int mode;
    private final String owner;
    private final boolean secret;
    private final HostFiles files;
    private final Ownership ownership;

    ManagedFile(String kind, Path path, byte[] content, int mode, String owner, boolean secret, HostFiles files,
                Ownership ownership) {
        this.address = "file." + kind + "[" + path + "]";
        this.path = path;
        this.content = content.clone();
        this.mode = mode;
        this.owner = owner;
        this.secret = secret;
        this.files = files;
        this.ownership = ownership;
    }

    @Override public String address() { return address; }

    @Override public List<Change> plan() throws IOException {
        Optional<HostFiles.Stat> stat = files.stat(path);
        Optional<byte[]> actual = stat.isPresent() && stat.get().regularFile() ? files.read(path) : Optional.empty();
        return diff(stat, actual, actual.isEmpty() || ownership.wrote(path, actual.get()));
    }

    /** @param ours the agent wrote the file on disk (or there is none) */
    List<Change> diff(Optional<HostFiles.Stat> stat, Optional<byte[]> actual, boolean ours) {
        String attributes = "owner " + owner + ", mode " + Attributes.octal(mode);
        if (stat.isEmpty()) {
            Change create = Change.of(address, Action.CREATE, Reason.MISSING, "file", null, attributes);
            return List.of(secret ? create.asSensitive() : create.withDetail(lineDiff(new byte[0])));
        }
        if (!stat.get().regularFile())
            return List.of(Change.of(address, Action.BLOCKED, Reason.UNAVAILABLE, "file",
                    stat.get().directory() ? "a directory" : "not a regular file", attributes));
        List<Change> changes = new ArrayList<>();
        byte[] bytes = actual.orElse(new byte[0]);
        if (!ours && !Arrays.equals(bytes, content)) return List.of(foreign(bytes, attributes));
        if (!Arrays.equals(bytes, content)) {
            Change update = Change.of(address, Action.UPDATE, Reason.CONTENT_DRIFT, "content", null, null);
            changes.add(secret ? update.asSensitive() : update.withDetail(lineDiff(bytes)));
        }
        changes.addAll(Attributes.drift(address, stat.get(), mode, owner, secret));
        return changes;
    }

    /** Someone else's file: blocked, or replaced because the state adopts it; either way only its size and hash show. */
    private Change foreign(byte[] actual, String attributes) {
        String fingerprint = actual.length + " bytes" + (secret ? "" : ", sha256 " + sha256(actual));
        if (ownership.adopted(path))
            return Change.of(address, Action.UPDATE, Reason.ADOPTED, "content", fingerprint, "from state, " + attributes)
                    .withDetail(List.of("the agent did not write this file; settings.adopt lists it, so apply replaces it"));
        return Change.of(address, Action.BLOCKED, Reason.NOT_OURS, "content", fingerprint, "from state, " + attributes)
                .withDetail(List.of("the agent did not write this file and does not replace it",
                        "to let it: add " + path + " to settings.adopt (or point the state at another path)"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    private List<String> lineDiff(byte[] actual) {
        return LineDiff.unified(path.toString(), lines(actual), lines(content));
    }

    private static List<String> lines(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }

    @Override public void apply() throws IOException {
        Optional<HostFiles.Stat> stat = files.stat(path);
        Optional<byte[]> actual = files.read(path);
        if (stat.isEmpty() || !Arrays.equals(actual.orElse(null), content)) {
            files.writeAtomically(path, content, mode, owner);
        } else {
            Attributes.repair(files, path, stat.get(), mode, owner);
        }
        ownership.recordWritten(path);
    }
}
