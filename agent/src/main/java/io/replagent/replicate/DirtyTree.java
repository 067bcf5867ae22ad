package io.replagent.replicate;

import io.replagent.tree.RawNames;
import io.replagent.tree.Change;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The paths of one target that still have to be sent. Events only mark paths dirty; what a path holds is read by
 * rsync when it runs, so a path needs to be listed once however often it changed. Bounded: when one directory has
 * more than {@code perDirectory} dirty children they collapse into the directory (sent recursively), and past
 * {@code total} entries the whole tree collapses into one full sync. Time is passed in.
 */
final class DirtyTree {

    /** What happened to a path since it was last sent, as far as it matters for sending it. */
    enum State { CREATED, CHANGED, DELETED }

    /**
     * A dirty path; a recursive one is a directory sent with everything below it. A {@code renamed} entry is the old
     * name of a rename (DELETED): its data lives on under the new name, so the delete guard does not count it. A
     * {@code fresh} directory is new since the last push, though marked CHANGED because a push ran when it appeared
     * (that push may have sent part of it): it is sent by name like a created one, not compared by content like a
     * directory whose children collapsed into it.
     */
    record Entry(String path, State state, boolean recursive, boolean renamed, boolean fresh) {
        Entry(String path, State state, boolean recursive) {
            this(path, state, recursive, false, false);
        }

        Entry(String path, State state, boolean recursive, boolean renamed) {
            this(path, state, recursive, renamed, false);
        }

        /** A delete the mass-delete guard counts: not the old name of a rename. */
        boolean countsAsDelete() {
            return state == State.DELETED && !renamed;
        }
    }

    /** The deletes among {@code entries} that the guard counts. */
    static long deletes(Collection<Entry> entries) {
        return entries.stream().filter(Entry::countsAsDelete).count();
    }

    /** What a batch sends: the whole tree ({@code full}) or the entries; deletes counted as they were marked. */
    record Batch(boolean full, List<Entry> entries, long deletes) {
        boolean isEmpty() {
            return !full && entries.isEmpty();
        }
    }

    private final int perDirectory;
    private final int total;
    /** In path order, for what is below a directory and for the batch; {@code index} answers the per-event lookups. */
    private final TreeMap<String, Entry> entries = new TreeMap<>();
    private final Map<String, Entry> index = new HashMap<>();
    private final Map<String, Integer> dirtyChildren = new HashMap<>();
    private boolean full;
    private long changes;
    private long deletes;
    private long firstNanos;

    DirtyTree(int perDirectory, int total) {
        this.perDirectory = perDirectory;
        this.total = total;
    }

    /** The merge table: the state after {@code change}, given the state before (null: clean); null means clean. */
    static State merge(State before, Change change) {
        if (before == null) {
            return change == Change.CREATED ? State.CREATED : change == Change.DELETED ? State.DELETED : State.CHANGED;
        }
        switch (before) {
            case CREATED:
                return change == Change.DELETED ? null : State.CREATED;
            case CHANGED:
                return change == Change.DELETED ? State.DELETED : State.CHANGED;
            default: // DELETED: it existed before, so whatever comes back replaces it
                return change == Change.DELETED ? State.DELETED : State.CHANGED;
        }
    }

    /**
     * @param sending an rsync to this target is running: it may send a path created now, so a later delete of it
     *                must not cancel out ("created" is then marked as "changed")
     */
    void mark(String path, Change change, boolean dir, boolean sending, long nowNanos) {
        mark(path, change, dir, sending, false, nowNanos);
    }

    /** The old name of a rename in the tree is gone: a delete the guard does not count (the data lives on). */
    void renamedAway(String path, boolean dir, boolean sending, long nowNanos) {
        mark(path, Change.DELETED, dir, sending, true, nowNanos);
    }

    /** The entry that holds a path dirty: its own, or the recursive one of a directory above it; null when clean. */
    Entry pendingFor(String path) {
        Entry own = index.get(path);
        return own != null ? own : coveringAncestor(path);
    }

    private void mark(String path, Change change, boolean dir, boolean sending, boolean renamed, long nowNanos) {
        touch(nowNanos);
        if (full) return;
        Entry before = index.get(path);
        // a listed path has no covering ancestor (putting one removes what is below it)
        if (before == null && coveringAncestor(path) != null) return;
        State merged = merge(before == null ? null : before.state(), change);
        State state = sending && merged == State.CREATED ? State.CHANGED : merged;
        // the common case of a busy file (a write after its create): already marked as it would be again
        if (before != null && state == before.state() && state != State.DELETED && !before.recursive()
                && !(dir && change == Change.CREATED)) return;
        boolean renamedAway = renamed && state == State.DELETED;
        if (state == State.DELETED && !renamedAway && (before == null || before.state() != State.DELETED)) deletes++;
        if (state == null) {
            remove(path);
            return;
        }
        boolean recursive = (before != null && before.recursive()) || (dir && change == Change.CREATED);
        boolean fresh = recursive && state == State.CHANGED && (merged == State.CREATED || (before != null && before.fresh()));
        put(new Entry(path, state, recursive, renamedAway, fresh));
    }

    /** The whole tree is dirty: the next batch is a full sync. */
    void markAll(long nowNanos) {
        touch(nowNanos);
        full = true;
        entries.clear();
        index.clear();
        dirtyChildren.clear();
    }

    /** Puts back entries a failed run did not deliver; newer marks of the same paths win. */
    void requeue(Batch batch, long nowNanos) {
        if (batch.full()) {
            markAll(nowNanos);
            return;
        }
        touch(nowNanos);
        deletes += batch.deletes();
        for (Entry e : batch.entries()) {
            if (full || coveringAncestor(e.path()) != null) continue;
            Entry now = index.get(e.path());
            // a failed rsync may have sent part of it: a requeued path is no longer known to be new on the target
            if (now == null) put(e.state() == State.CREATED || e.fresh() ? new Entry(e.path(),
                    e.state() == State.CREATED ? State.CHANGED : e.state(), e.recursive(), e.renamed(), false) : e);
            else if (e.recursive() && !now.recursive()) put(new Entry(now.path(), now.state(), true));
        }
    }

    /** Takes everything pending, leaving the tree clean. */
    Batch take() {
        Batch batch = snapshot();
        entries.clear();
        index.clear();
        dirtyChildren.clear();
        full = false;
        changes = 0;
        deletes = 0;
        return batch;
    }

    /** Everything pending, leaving it pending. */
    Batch snapshot() {
        return new Batch(full, full ? List.of() : new ArrayList<>(entries.values()), deletes);
    }

    boolean isEmpty() {
        return !full && entries.isEmpty();
    }

    boolean isFull() {
        return full;
    }

    /** Entries pending (a pending full sync counts as one). */
    int size() {
        return full ? 1 : entries.size();
    }

    /** Changes marked since the last take, however many entries they merged into (for max_delays). */
    long changes() {
        return changes;
    }

    /** When the oldest pending change was marked (meaningful only when not empty). */
    long firstNanos() {
        return firstNanos;
    }

    /** Counts a change; the first one into an empty tree starts the batch's clock (also after marks cancelled out). */
    private void touch(long nowNanos) {
        if (isEmpty()) {
            firstNanos = nowNanos;
            changes = 0;
        }
        changes++;
    }

    private Entry coveringAncestor(String path) {
        for (String p = path; !p.isEmpty(); ) {
            p = RawNames.parent(p);
            Entry e = p.isEmpty() ? null : index.get(p);
            if (e != null && e.recursive() && e.state() != State.DELETED) return e;
        }
        return null;
    }

    private void put(Entry entry) {
        String path = entry.path();
        entries.put(path, entry);
        if (index.put(path, entry) == null) dirtyChildren.merge(RawNames.parent(path), 1, Integer::sum);
        if (entry.recursive() || entry.state() == State.DELETED) removeBelow(path);
        String parent = RawNames.parent(path);
        if (dirtyChildren.getOrDefault(parent, 0) > perDirectory) collapse(parent);
        else if (entries.size() > total) full = true;
        if (full) {
            entries.clear();
            index.clear();
            dirtyChildren.clear();
        }
    }

    /** Too many dirty children: the directory is sent as a whole instead. */
    private void collapse(String dir) {
        if (dir.isEmpty()) {
            full = true;
            return;
        }
        Entry before = index.get(dir);
        put(new Entry(dir, before != null && before.state() == State.CREATED ? State.CREATED : State.CHANGED, true));
    }

    private void remove(String path) {
        entries.remove(path);
        if (index.remove(path) != null) dirtyChildren.computeIfPresent(RawNames.parent(path), (k, n) -> n > 1 ? n - 1 : null);
    }

    private void removeBelow(String dir) {
        for (String below : new ArrayList<>(entries.subMap(dir + "/", dir + "0").keySet())) remove(below);
    }
}
