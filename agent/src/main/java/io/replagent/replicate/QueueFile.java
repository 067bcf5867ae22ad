package io.replagent.replicate;

import io.replagent.system.AtomicFile;
import io.replagent.tree.RawNames;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A target's undelivered paths on disk, so a restart (also after kill -9) starts where the last run stopped.
 * Written atomically, mode 0600 ({@link AtomicFile}). Format: a header line, then one record per
 * path: a state letter (N, C, D, or M: deleted as the old name of a rename, which the delete guard does not count), a
 * recursive flag ('R' or '-') and the raw path bytes, ended by NUL; "F" alone = full sync.
 * A reader stops at an "F" record, which is what lets a save on a full disk fall back to writing the 16 bytes of a
 * full-sync queue over the start of the existing file: no new block is needed, and nothing is lost (a full sync
 * covers every path), only precision.
 */
final class QueueFile {

    private static final String HEADER = "agent-queue 1\n";
    /** State letters by ordinal: N(ew) = CREATED, C = CHANGED, D = DELETED. */
    private static final String LETTERS = "NCD";
    private static final char RENAMED_AWAY = 'M';

    private final Path file;

    QueueFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** How a save went. */
    enum Saved { EXACT, AS_FULL_SYNC }

    /**
     * Replaces the file atomically; when that fails (a full disk) and a file is there, overwrites its start in place
     * with a full-sync queue and reports so. Throws only when neither worked; the previous file is then left as it was.
     */
    Saved save(DirtyTree.Batch batch) throws IOException {
        if (batch.isEmpty()) {
            Files.deleteIfExists(file);
            return Saved.EXACT;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HEADER.getBytes(StandardCharsets.US_ASCII));
        if (batch.full()) {
            out.writeBytes(new byte[] {'F', 0});
        } else {
            for (DirtyTree.Entry e : batch.entries()) {
                out.write(e.renamed() ? RENAMED_AWAY : LETTERS.charAt(e.state().ordinal()));
                out.write(e.recursive() ? 'R' : '-');
                out.writeBytes(RawNames.bytes(e.path()));
                out.write(0);
            }
        }
        try {
            AtomicFile.write(file, out.toByteArray(), 0600);
            return Saved.EXACT;
        } catch (IOException e) {
            if (batch.full() || !asFullSyncInPlace()) throw e;
            return Saved.AS_FULL_SYNC;
        }
    }

    /** Saves; null when it went as it should, else the alert: saved as a full sync only, or not at all. */
    String saveOrWhy(DirtyTree.Batch batch) {
        try {
            return save(batch) == Saved.EXACT ? null : "cannot save the queue to " + file
                    + " (its file system is full?): saved as a full sync instead";
        } catch (IOException e) {
            return "cannot save the queue to " + file + ": " + e.getMessage() + " (the last good queue file is kept)";
        }
    }

    private boolean asFullSyncInPlace() {
        byte[] full = (HEADER + "F\0").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (channel.size() < full.length) return false; // not ours to shrink into; keep it
            ByteBuffer buffer = ByteBuffer.wrap(full);
            while (buffer.hasRemaining()) channel.write(buffer, buffer.position());
            channel.force(true);
            channel.truncate(full.length);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The saved queue, or an empty batch when there is none. */
    DirtyTree.Batch load() throws IOException {
        if (!Files.exists(file)) return new DirtyTree.Batch(false, List.of(), 0);
        byte[] bytes = Files.readAllBytes(file);
        String text = RawNames.fromBytes(bytes, 0, bytes.length);
        if (!text.startsWith(HEADER)) throw new IOException(file + ": not a queue file");
        List<DirtyTree.Entry> entries = new ArrayList<>();
        for (String record : text.substring(HEADER.length()).split("\0")) {
            if (record.equals("F")) return new DirtyTree.Batch(true, List.of(), 0);
            if (record.length() < 3) continue;
            boolean renamed = record.charAt(0) == RENAMED_AWAY;
            DirtyTree.State state = renamed ? DirtyTree.State.DELETED : stateOf(record.charAt(0));
            entries.add(new DirtyTree.Entry(record.substring(2), state, record.charAt(1) == 'R', renamed));
        }
        return new DirtyTree.Batch(false, entries, DirtyTree.deletes(entries)); // still counted by the guard after a restart
    }

    private static DirtyTree.State stateOf(char letter) throws IOException {
        int i = LETTERS.indexOf(letter);
        if (i < 0) throw new IOException("bad queue record state '" + letter + "'");
        return DirtyTree.State.values()[i];
    }
}
