package io.replagent.replicate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Pending marks → rsync jobs, pure. Jobs run in phases: the link phase of renamed files and the moves one after
 * another (a moved directory's old path must still be on the target while the new one is built from it), then the
 * batch's sends in parallel, then its deletes (after the sends, so a renamed file is built from the old name's
 * copy), then the link phase's cleanup. A path an event named is sent even when size and mtime match
 * (--ignore-times); a directory whose dirty children were collapsed into it is compared by content (--checksum), as
 * its children are no longer named, and so is a renamed file's new name: the target's copy of its old name, linked
 * by the link phase, is its basis (see {@link ReservedArgs#link}), and equal content is copied there, not sent.
 */
final class JobPlanner {

    static final int MAX_PATHS_PER_RSYNC = 5000;
    static final int MIN_PATHS_PER_RSYNC = 2000;

    /** A directory renamed inside the tree, sent with the target's copy of its old path as the basis. */
    record Move(String from, String to) {}

    /** What one batch sends; {@code renames}: files renamed since the last batch (see {@link Renames}). */
    record Work(DirtyTree.Batch batch, List<Move> moves, List<Renames.Rename> renames, boolean initial) {
        Work(DirtyTree.Batch batch, List<Move> moves, boolean initial) {
            this(batch, moves, List.of(), initial);
        }

        Work withRenames(List<Renames.Rename> staged) {
            return new Work(batch, moves, staged, initial);
        }
    }

    enum Kind {
        INITIAL, FULL, FULL_DELETES, LINK, MOVE, BATCH, CHECKSUM, DELETES, CLEANUP;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        boolean full() {
            return this == INITIAL || this == FULL || this == FULL_DELETES;
        }

        /**
         * Delivers nothing itself, only saves bytes (the link phase) or space (its cleanup): its failure neither holds
         * the batch's other jobs back nor puts anything back in the queue.
         */
        boolean aux() {
            return this == LINK || this == CLEANUP;
        }
    }

    /** One rsync and what it delivers; phase 0 runs one job at a time, later phases in parallel, in phase order. */
    record Job(Kind kind, int phase, List<String> argv, byte[] stdin, DirtyTree.Batch delivers, Move move) {
        /** The raw paths on its list (empty for a full sync or a move). */
        List<String> listed() {
            return delivers.entries().stream().map(DirtyTree.Entry::path).toList();
        }
    }

    private static final DirtyTree.Batch NOTHING = new DirtyTree.Batch(false, List.of(), 0);

    private final RsyncArgs args;
    private final int processes;
    private final Predicate<String> isDirectory;
    private final Path staging;

    /** @param isDirectory whether a raw path is a directory at the source now (the one question asked of the disk) */
    JobPlanner(RsyncArgs args, int processes, Predicate<String> isDirectory) {
        this(args, processes, isDirectory, null);
    }

    /** @param staging the staging tree of a work's renames (see {@link RenameStaging}); null: renames are not used */
    JobPlanner(RsyncArgs args, int processes, Predicate<String> isDirectory, Path staging) {
        this.args = args;
        this.processes = Math.max(1, processes);
        this.isDirectory = isDirectory;
        this.staging = staging;
    }

    /**
     * @param delete        deletes are propagated (the delete mode's rule for this batch)
     * @param fullMaxDelete rsync's --max-delete for a full sync, -1 for none
     * @param tempDirReady  the target's .agent/tmp/ exists (a full sync may run while it is made: then without it)
     */
    List<Job> plan(Work work, boolean delete, long fullMaxDelete, boolean tempDirReady) {
        DirtyTree.Batch batch = work.batch();
        if (batch.full()) {
            Kind kind = work.initial() ? Kind.INITIAL : Kind.FULL;
            return List.of(new Job(kind, 1, args.full(delete, fullMaxDelete, tempDirReady), null, batch, null));
        }
        List<Job> jobs = new ArrayList<>();
        List<DirtyTree.Entry> named = new ArrayList<>();
        List<DirtyTree.Entry> collapsed = new ArrayList<>();
        List<DirtyTree.Entry> deleted = new ArrayList<>();
        boolean renamed = staging != null && !work.renames().isEmpty();
        Set<String> renamedTo = new HashSet<>();
        if (renamed) {
            jobs.add(new Job(Kind.LINK, 0, args.reserved().link(staging), null, NOTHING, null));
            work.renames().forEach(r -> renamedTo.add(r.to()));
        }
        for (Move m : work.moves()) {
            List<String> argv = args.moved(m.from(), m.to(), delete, renamed);
            DirtyTree.Entry created = new DirtyTree.Entry(m.to(), DirtyTree.State.CREATED, true);
            if (argv == null) named.add(created); // a name argv cannot carry: sent as a new directory instead
            else if (isDirectory.test(m.to())) jobs.add(new Job(Kind.MOVE, 0, argv, null, single(created), m));
        }
        for (DirtyTree.Entry e : batch.entries()) {
            if (e.state() == DirtyTree.State.DELETED) {
                if (delete) deleted.add(e);
            } else if (e.recursive() ? e.state() == DirtyTree.State.CHANGED && !e.fresh() : renamedTo.contains(e.path())) {
                collapsed.add(e);
            } else {
                named.add(e);
            }
        }
        boolean sendsFirst = !named.isEmpty() || !collapsed.isEmpty();
        lists(jobs, Kind.BATCH, 1, named, args.list(delete, RsyncArgs.Check.NAMED, !deleted.isEmpty(), renamed));
        lists(jobs, Kind.CHECKSUM, 1, collapsed, args.list(delete, RsyncArgs.Check.CHECKSUM, true, renamed));
        lists(jobs, Kind.DELETES, sendsFirst ? 2 : 1, deleted, args.list(true, RsyncArgs.Check.NAMED, false));
        if (renamed) jobs.add(new Job(Kind.CLEANUP, jobs.stream().mapToInt(Job::phase).max().orElse(0) + 1, args.reserved().cleanup(),
                null, NOTHING, null));
        return jobs;
    }

    /** The same planner for one batch of a target with history (see {@link RsyncArgs#forBatch}). */
    JobPlanner forBatch(String batch) {
        return new JobPlanner(args.forBatch(batch), processes, isDirectory, staging);
    }

    /**
     * With history, a move onto a directory the target had already (its rsync said so) added names only: this push of
     * the directory by content replaces what differs and deletes what is extra, keeping the old copies.
     */
    Job movedOnto(Move move, boolean delete) {
        DirtyTree.Entry dir = new DirtyTree.Entry(move.to(), DirtyTree.State.CREATED, true);
        return new Job(Kind.CHECKSUM, 1, args.list(delete, RsyncArgs.Check.CHECKSUM, false),
                RsyncArgs.pathList(List.of(move.to())), single(dir), null);
    }

    /**
     * The jobs with the deletes of {@code uncopied} (old names of moved directories the journal accounts for, see
     * {@code MovedAway}) in jobs of their own that keep no copies, in the same phase; the other deletes as planned.
     */
    List<Job> withoutCopies(List<Job> jobs, Set<String> uncopied) {
        List<Job> out = new ArrayList<>();
        List<DirtyTree.Entry> kept = new ArrayList<>();
        List<DirtyTree.Entry> plain = new ArrayList<>();
        int phase = -1;
        for (Job j : jobs) {
            if (j.kind() != Kind.DELETES) {
                out.add(j);
                continue;
            }
            phase = j.phase();
            for (DirtyTree.Entry e : j.delivers().entries()) (uncopied.contains(e.path()) ? plain : kept).add(e);
        }
        if (plain.isEmpty()) return jobs;
        lists(out, Kind.DELETES, phase, kept, args.list(true, RsyncArgs.Check.NAMED, false));
        lists(out, Kind.DELETES, phase, plain, args.withoutHistory().list(true, RsyncArgs.Check.NAMED, false));
        return out;
    }

    /** The second pass of a full sync whose deletions the guard allowed: at most {@code maxDelete} of them. */
    Job fullDeletes(Work work, long maxDelete) {
        return new Job(Kind.FULL_DELETES, 1, args.full(true, maxDelete, true), null, work.batch(), null);
    }

    private void lists(List<Job> jobs, Kind kind, int phase, List<DirtyTree.Entry> entries, List<String> argv) {
        entries.sort(Comparator.comparing(DirtyTree.Entry::path));
        for (List<DirtyTree.Entry> chunk : Chunks.split(entries, MAX_PATHS_PER_RSYNC, processes, MIN_PATHS_PER_RSYNC)) {
            List<String> paths = chunk.stream().map(DirtyTree.Entry::path).toList();
            jobs.add(new Job(kind, phase, argv, RsyncArgs.pathList(paths), new DirtyTree.Batch(false, List.copyOf(chunk),
                    DirtyTree.deletes(chunk)), null));
        }
    }

    private static DirtyTree.Batch single(DirtyTree.Entry e) {
        return new DirtyTree.Batch(false, List.of(e), 0);
    }
}
