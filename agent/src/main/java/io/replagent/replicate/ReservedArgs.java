package io.replagent.replicate;

import io.replagent.history.Layout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The argv of the pushes into the target's reserved {@code .agent/} that deliver nothing of the mirror: its temp dir
 * made and emptied, and the link phase of renamed files with its cleanup. Each goes through the target's own
 * transport ({@link RsyncTransport#head}) and names no file of the tree in argv.
 */
final class ReservedArgs {

    /** The reserved directory at the target's root, and where rsync's temp files go (see {@link #prepare}). */
    static final String RESERVED = Layout.RESERVED;
    /** The target's basis tree for renamed files (see {@link RenameStaging}), relative to its root. */
    static final String RENAMES = RESERVED + "/tmp/renames";
    /** Where a basis tree holds the new names (its old names are at their own paths): no mirror path starts so. */
    static final String RENAMED_TO = RESERVED + "/to";

    private final RsyncTransport transport;

    ReservedArgs(RsyncTransport transport) {
        this.transport = transport;
    }

    /**
     * A directory of the target's basis tree for renamed files ({@code below}: a path under the new names' root, or
     * empty), as the receiver takes a basis dir.
     */
    String renamedBasis(String below) {
        return transport.reserved("tmp/renames/" + RENAMED_TO + (below.isEmpty() ? "" : "/" + below));
    }

    /**
     * Makes the target's {@code .agent/tmp/} exist (rsync does not create a temp dir) and empty (a killed receiver's
     * temp files): the source root alone, every name excluded, sent into it with --delete-excluded. Run only while no
     * other push to the target runs.
     */
    List<String> prepare() {
        return emptied(RESERVED + "/tmp/");
    }

    /**
     * The link phase of a batch with renamed files: the staging tree (see {@link RenameStaging}) into the target's
     * {@code .agent/tmp/renames/}. The receiver compares each old name by size alone (--size-only, nothing else
     * preserved) with the target's own file of that name (--link-dest=its root): a match is hard-linked there, and
     * -H links the new name (under .agent/to/) to it. No data travels; where the target's old name is missing or of
     * another size, the staging file's zeros go instead (sparse and compressed: a few bytes per MiB) and are only a
     * poor basis. Stale entries of an earlier batch go (--delete: only .agent/tmp/renames/ is the destination).
     */
    List<String> link(Path staging) {
        List<String> argv = transport.head();
        argv.add("-rH");
        // one file list: under incremental recursion the receiver takes a new name's group for skipped when the old
        // name's directory comes in a later list, and sends the new name the staging file's zeros (seen: 1,100 of 1,100)
        argv.add("--no-inc-recursive");
        argv.add("--size-only");
        argv.add("--sparse");
        argv.add("-z");
        argv.add("--delete");
        argv.add("--stats");
        argv.addAll(transport.access());
        argv.add("--link-dest=" + transport.root());
        argv.add(staging.toAbsolutePath() + "/");
        argv.add(transport.destination() + RENAMES + "/");
        return argv;
    }

    /** Empties the target's .agent/tmp/renames/ after the batch (its links hold the old copies' space). */
    List<String> cleanup() {
        return emptied(RENAMES + "/");
    }

    /** Makes a directory under the target's root exist and empty: the source root alone, every name excluded. */
    private List<String> emptied(String dir) {
        List<String> argv = transport.head();
        argv.add("-r");
        argv.add("--mkpath");
        argv.add("--delete");
        argv.add("--delete-excluded");
        argv.add("--exclude=*");
        argv.addAll(transport.access());
        argv.add(transport.source());
        argv.add(transport.destination() + dir);
        return argv;
    }
}
