package io.replagent.replicate;

import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.history.Itemized;
import io.replagent.history.Layout;
import io.replagent.tree.RawNames;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The argv of a watch's pushes to one target. Paths never go into argv: a batch's paths go on stdin,
 * NUL-separated ({@code --files-from=- --from0}), so nothing in a file name can become an option or a shell word.
 * The one exception is a directory rename, whose new name becomes part of the source and destination (only when
 * the name is plain UTF-8 without wildcard or control characters; other renames are sent as create + delete).
 * How the target is reached (rsync, its {@code -e}, the password file) is {@link RsyncTransport}'s; the pushes into
 * the target's .agent/ that deliver nothing (temp dir, link phase) are {@link ReservedArgs}'.
 */
final class RsyncArgs {

    /** Overall progress on stdout, read by {@link ProgressStream}. */
    static final String PROGRESS = "--info=progress2";

    /** Never listed, sent or deleted by a push rooted at the target's root (anchored: only the root's). */
    private static final String RESERVED_FILTER = Layout.EXCLUDE;

    /** How a list push decides that a listed file is unchanged. */
    enum Check {
        /** Never: an event named the path, so it is sent even when size and mtime match (--ignore-times). */
        NAMED,
        /** By content (--checksum): directories whose children were collapsed into them, no longer named one by one. */
        CHECKSUM
    }

    private final RsyncTransport transport;
    private final ReservedArgs reserved;
    private final List<String> common;
    private final boolean writesInPlace;
    /** The extra options preserve hard links (-H): a move's output then itemizes links inside the transfer as 'h' too. */
    private final boolean hardLinks;
    /** The batch whose pushes keep history (null: the target keeps none). */
    private final String batch;

    /** The same pushes for one batch of a target with history: what they replace or delete goes to its directory. */
    RsyncArgs forBatch(String batchName) {
        return new RsyncArgs(this, batchName);
    }

    /** The same pushes keeping nothing (for what the journal accounts for otherwise, {@code MovedAway}). */
    RsyncArgs withoutHistory() {
        return new RsyncArgs(this, null);
    }

    /**
     * Whether a move's push ({@link #moved}, not {@code renamed}) itemizes as hard-linked ({@code hf}) exactly the
     * files it linked from the old name: with {@code --link-dest} (not --copy-dest) and without -H.
     */
    boolean movesItemizeTheirLinks() {
        return !writesInPlace && !hardLinks;
    }

    private RsyncArgs(RsyncArgs of, String batch) {
        this.transport = of.transport;
        this.reserved = of.reserved;
        this.common = of.common;
        this.writesInPlace = of.writesInPlace;
        this.hardLinks = of.hardLinks;
        this.batch = batch;
    }

    RsyncArgs(String rsync, Watch watch, Target target) {
        this(rsync, watch, target, null);
    }

    /**
     * @param remoteShell rsync's {@code -e} of an ssh target ({@link SshCommand#rsyncShell}); an ssh target has one
     *                    (rsync's default ssh would trust whatever ~/.ssh says)
     */
    RsyncArgs(String rsync, Watch watch, Target target, String remoteShell) {
        this.transport = new RsyncTransport(rsync, watch, target, remoteShell);
        this.reserved = new ReservedArgs(transport);
        this.batch = null;
        Watch.RsyncOptions o = watch.rsync();
        common = transport.head();
        common.add("-a");
        common.add("--stats");
        // quick check with nanoseconds: a same-size rewrite within the second of the last push is not "unchanged"
        // (whole-second comparison lost such a change in the churn benchmark). Receivers older than 3.1.3 ignore it.
        // Not over ssh: rsync sends it to the server as "-@-1", which rrsync's option table refuses (a number, no sign);
        // paths an event named are sent regardless (--ignore-times), so only a full sync compares by whole seconds.
        if (!transport.ssh()) common.add("--modify-window=-1");
        if (o.compress()) common.add("-z");
        if (o.bwlimitKbps() > 0) common.add("--bwlimit=" + o.bwlimitKbps());
        transport.timeout().ifPresent(common::add);
        if (o.checksum()) common.add("--checksum");
        common.addAll(o.extra());
        writesInPlace = o.extra().stream().anyMatch(x -> x.equals("--inplace") || x.startsWith("--append"));
        hardLinks = o.extra().stream().anyMatch(x -> x.equals("--hard-links") || x.matches("-[a-zA-Z]*H[a-zA-Z]*"));
        for (String pattern : watch.exclude()) common.add("--exclude=" + pattern);
        transport.passwordFile().ifPresent(common::add);
    }

    /** The pushes into the target's .agent/: its temp dir, the link phase of renamed files and its cleanup. */
    ReservedArgs reserved() {
        return reserved;
    }

    /**
     * The target's {@code .agent/tmp/}, absolute as the receiver takes it ({@link RsyncTransport#reserved}): rsync then
     * writes every file into it and renames it into place (a rename on the same file system), so a receiver killed
     * mid-file leaves its temp file there, never in the mirror.
     */
    private String tempDir() {
        return transport.reserved("tmp");
    }

    /**
     * With history: what the push replaces or deletes goes to the batch's directory at its path ({@code prefix}: the
     * destination's path below the target root), and rsync prints each item for the journal.
     */
    private void keep(List<String> argv, String prefix) {
        if (batch == null) return;
        argv.add("--backup");
        argv.add("--backup-dir=" + Layout.backupDir(transport.endpoint(), batch, prefix));
        argv.add("--out-format=" + Itemized.OUT_FORMAT);
    }

    /**
     * The checksum comparison of an audit: what a full sync with --checksum would change, changing nothing; one line
     * per difference ({@code %i %n}: the itemized change, then the name).
     */
    List<String> audit() {
        List<String> argv = new ArrayList<>(common);
        argv.add(1, RESERVED_FILTER);
        argv.remove("--checksum");
        argv.add("--checksum");
        argv.add("--dry-run");
        argv.add("--delete");
        argv.add("--out-format=%i %n");
        argv.add(transport.source());
        argv.add(transport.destination());
        return argv;
    }
    /**
     * A connection check for the console's doctor: authenticates and lists only the destination directory itself,
     * changing nothing. Uses the push's own password file, timeout and environment.
     */
    List<String> probe() {
        List<String> argv = transport.head();
        if (transport.ssh()) {
            // a dry push of the source's root alone: an account that may only write (rrsync -wo) refuses a listing
            argv.addAll(List.of("--dry-run", "-d", "--exclude=*", "--timeout=10", transport.source(), transport.destination()));
            return argv;
        }
        argv.add("--list-only");
        argv.add("--exclude=*");
        argv.add("--timeout=10");
        transport.passwordFile().ifPresent(argv::add);
        argv.add(transport.destination());
        return argv;
    }

        /**
     * The whole tree; {@code --delete} when deletes are propagated, at most {@code maxDelete} of them when that is not
     * negative (rsync stops deleting there and exits 25). {@code tempDir}: into the target's .agent/tmp/ (false only
     * while it is being made, for the first push of a run: rsync refuses a temp dir that does not exist yet).
     */
    List<String> full(boolean delete, long maxDelete, boolean tempDir) {
        List<String> argv = new ArrayList<>(common);
        argv.add(1, RESERVED_FILTER);
        argv.add(PROGRESS); // a full sync can take hours: its figures are shown while it runs
        if (tempDir) argv.add("--temp-dir=" + tempDir());
        if (delete) argv.add("--delete");
        if (delete && maxDelete >= 0) argv.add("--max-delete=" + maxDelete);
        keep(argv, "");
        argv.add(transport.source());
        argv.add(transport.destination());
        return argv;
    }

    /**
     * The paths on stdin. A listed path missing at the source is deleted on the target when deletes are
     * propagated ({@code --delete-missing-args}, and {@code --delete} inside directories sent recursively),
     * or skipped without an error when not. {@code fuzzy}: a missing file is built from a file of the same size and
     * mtime in its directory on the target (a rename there), when the batch's deletes run after it (inside a
     * collapsed directory: --delete-after).
     */
    List<String> list(boolean delete, Check check, boolean fuzzy) {
        return list(delete, check, fuzzy, false);
    }

    /**
     * {@code renamed}: a file missing on the target is built on the basis of the link phase's copy of its old name
     * ({@code --copy-dest}, see {@link ReservedArgs#link}): by checksum equal, the receiver copies it locally; else it is a
     * delta's basis (for a local target too). Existing files are never compared with it, so nothing replaces them but
     * the transfer itself, and history's --backup keeps what that replaces.
     */
    List<String> list(boolean delete, Check check, boolean fuzzy, boolean renamed) {
        List<String> argv = new ArrayList<>(common);
        argv.add(1, RESERVED_FILTER);
        argv.add("--temp-dir=" + tempDir());
        argv.add(check == Check.NAMED ? "--ignore-times" : "--checksum");
        if (fuzzy) argv.add("--fuzzy");
        if (renamed) {
            argv.add("--copy-dest=" + reserved.renamedBasis(""));
            // a local transfer copies whole files by default: a renamed file in a directory sent whole would not use it
            if (transport.local()) argv.add("--no-whole-file");
            if (batch != null) argv.add("-ii"); // a file copied from its basis ("cf") is itemized only at -ii
        }
        // a collapsed directory's renames: its old names must outlive the transfer to serve as --fuzzy's basis
        if (check == Check.CHECKSUM && delete) argv.add("--delete-after");
        argv.add("-r");
        argv.add("--from0");
        argv.add("--files-from=-");
        if (delete) {
            argv.add("--delete");
            argv.add("--delete-missing-args");
        } else {
            argv.add("--ignore-missing-args");
        }
        keep(argv, "");
        argv.add(transport.source());
        argv.add(transport.destination());
        return argv;
    }

    /**
     * Sends directory {@code to} on the basis of the target's copy of {@code from}, so the files the target already
     * has are not sent again: {@code --link-dest} hard-links them (nothing is copied; rsync replaces a changed file
     * by a new one, so the two names part on their next change), or {@code --copy-dest} when the extra options make
     * rsync write into files in place. Null when a name cannot go into argv safely.
     * <p>
     * With history, a move only adds names ({@code --ignore-existing}, no {@code --delete}): {@code --link-dest} would
     * replace a file already at the destination without keeping it. Every new name is listed ({@code -ii}
     * shows the hard links), and a destination that was there already is sent again by a plain push that keeps what
     * it replaces ({@link JobPlanner#movedOnto}).
     */
    List<String> moved(String from, String to, boolean delete) {
        return moved(from, to, delete, false);
    }

    /** {@code renamed}: files renamed into the directory are found in the link phase's copies too (see {@link ReservedArgs#link}). */
    List<String> moved(String from, String to, boolean delete, boolean renamed) {
        if (!argvSafe(from) || !argvSafe(to)) return null;
        List<String> argv = new ArrayList<>(common);
        argv.add("--temp-dir=" + tempDir());
        if (batch != null) {
            argv.add("--ignore-existing");
            argv.add("-ii"); // unchanged items too: the hard links (--info=name2 with --out-format does not list them)
            keep(argv, to);
        } else if (delete) {
            argv.add("--delete");
        }
        String basis = transport.basis(from, to);
        String option = writesInPlace ? "--copy-dest=" : "--link-dest=";
        argv.add(option + basis);
        if (renamed) argv.add(option + reserved.renamedBasis(to));
        argv.add(transport.source() + to + "/");
        argv.add(transport.destination() + to + "/");
        return argv;
    }

    /**
     * The stdin of {@link #list}: raw paths, each ended by NUL and led by "./": rsync drops a files-from line that
     * starts with '#' or ';' as a comment, even with --from0, so a file named "; x" would never be sent.
     */
    static byte[] pathList(Collection<String> rawPaths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : rawPaths) {
            out.write('.');
            out.write('/');
            out.writeBytes(RawNames.bytes(p));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static boolean argvSafe(String raw) {
        if (raw.isEmpty() || !RawNames.isUtf8(raw)) return false;
        for (String part : raw.split("/")) if (part.equals("..") || part.equals(".") || part.isEmpty()) return false;
        return raw.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '*' || c == '?' || c == '[' || c == '\\');
    }
}
