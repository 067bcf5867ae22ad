package io.replagent.converge;

import io.replagent.system.HostFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A module's directory: exists, owned by the daemon's user, with the state's mode. */
final class Directory implements Resource {

    private final String address;
    private final Path path;
    private final int mode;
    private final String owner;
    private final HostFiles files;

    Directory(Path path, int mode, String owner, HostFiles files) {
        this.address = "directory[" + path + "]";
        this.path = path;
        this.mode = mode;
        this.owner = owner;
        this.files = files;
    }

    @Override public String address() { return address; }

    @Override public List<Change> plan() throws IOException {
        return diff(files.stat(path));
    }

    List<Change> diff(Optional<HostFiles.Stat> stat) {
        String attributes = "owner " + owner + ", mode " + Attributes.octal(mode);
        if (stat.isEmpty()) return List.of(Change.of(address, Action.CREATE, Reason.MISSING, "directory", null, attributes));
        if (!stat.get().directory())
            return List.of(Change.of(address, Action.BLOCKED, Reason.UNAVAILABLE, "directory", "not a directory", attributes));
        return Attributes.drift(address, stat.get(), mode, owner, false);
    }

    @Override public void apply() throws IOException {
        Optional<HostFiles.Stat> stat = files.stat(path);
        if (stat.isEmpty()) {
            files.makeDirectory(path, mode, owner);
            return;
        }
        Attributes.repair(files, path, stat.get(), mode, owner);
    }
}
