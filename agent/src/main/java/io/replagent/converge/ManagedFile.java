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
 * sysctl drop-in. Written atomically with its mode and owner; content of a secret is never shown.
 */
final class ManagedFile implements Resource {

    private final String address;
    private final Path path;
    private final byte[] content;
    private final int mode;
    private final String owner;
    private final boolean secret;
    private final HostFiles files;

    ManagedFile(String kind, Path path, byte[] content, int mode, String owner, boolean secret, HostFiles files) {
        this.address = "file." + kind + "[" + path + "]";
        this.path = path;
        this.content = content.clone();
        this.mode = mode;
        this.owner = owner;
        this.secret = secret;
        this.files = files;
    }

    @Override public String address() { return address; }

    @Override public List<Change> plan() throws IOException {
        Optional<HostFiles.Stat> stat = files.stat(path);
        return diff(stat, stat.isPresent() && stat.get().regularFile() ? files.read(path) : Optional.empty());
    }

    List<Change> diff(Optional<HostFiles.Stat> stat, Optional<byte[]> actual) {
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
        if (!Arrays.equals(bytes, content)) {
            Change update = Change.of(address, Action.UPDATE, Reason.CONTENT_DRIFT, "content", null, null);
            changes.add(secret ? update.asSensitive() : update.withDetail(lineDiff(bytes)));
        }
        changes.addAll(Attributes.drift(address, stat.get(), mode, owner, secret));
        return changes;
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
            return;
        }
        Attributes.repair(files, path, stat.get(), mode, owner);
    }
}
