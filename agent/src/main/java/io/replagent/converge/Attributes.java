package io.replagent.converge;

import io.replagent.system.HostFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mode and owner drift of an existing file or directory: the part every path-like resource shares. */
final class Attributes {

    private Attributes() {}

    /**
     * @param guardsSecret the path holds a secret: any group/other bit or owner the state does not give is a
     *                     {@link Reason#SECURITY} change (rsync's strict modes refuses such a file)
     */
    static List<Change> drift(String address, HostFiles.Stat actual, int mode, String owner, boolean guardsSecret) {
        List<Change> changes = new ArrayList<>();
        if (actual.mode() != mode) {
            boolean looser = (actual.mode() & 0077 & ~mode) != 0;
            changes.add(Change.of(address, Action.UPDATE, guardsSecret && looser ? Reason.SECURITY : Reason.MODE_DRIFT,
                    "mode", octal(actual.mode()), octal(mode)));
        }
        if (!actual.owner().equals(owner))
            changes.add(Change.of(address, Action.UPDATE, guardsSecret ? Reason.SECURITY : Reason.OWNER_DRIFT,
                    "owner", actual.owner(), owner));
        return changes;
    }

    static void repair(HostFiles files, Path path, HostFiles.Stat actual, int mode, String owner) throws IOException {
        if (actual.mode() != mode) files.setMode(path, mode);
        if (!actual.owner().equals(owner)) files.setOwner(path, owner);
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
