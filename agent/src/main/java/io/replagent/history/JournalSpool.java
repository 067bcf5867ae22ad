package io.replagent.history;

import io.replagent.system.AtomicFile;
import io.replagent.system.Processes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The journal of one target on the source host ({@code state_dir}): each batch's entries are appended before the
 * batch counts as delivered, so an agent killed between batches loses no line (the kernel holds what a killed process
 * wrote), and fsynced off the hot path ({@link #sync}: under a burst of writes one fsync can take half a second); the segments go to the
 * target's {@code .agent/journal/} off the hot path ({@link #uploadDue}), after which only the newest segment stays
 * here. A segment is named by its first batch and ends when it reaches {@value #SEGMENT_BYTES} bytes or a new UTC day.
 */
public final class JournalSpool {

    static final long SEGMENT_BYTES = 4L << 20;
    /** An idle target gets the journal this soon after a batch; a busy one at least this often. */
    static final Duration IDLE_UPLOAD = Duration.ofSeconds(2);
    static final Duration BUSY_UPLOAD = Duration.ofSeconds(60);
    private static final String UPLOADED = ".uploaded";

    private final Path dir;
    private final java.util.Set<Path> unsynced = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

    public JournalSpool(Path dir) {
        this.dir = dir;
    }

    /**
     * The spool of a watch's target under {@code state_dir}: {@code journal/WATCH/TARGET}, each name escaped so that no
     * two pairs share a directory ('%' and '/' as %25 and %2F, a leading '.' as %2E).
     */
    public static JournalSpool of(Path stateDir, String watch, String target) {
        return new JournalSpool(stateDir.resolve("journal").resolve(escape(watch)).resolve(escape(target)));
    }

    static String escape(String name) {
        String e = name.replace("%", "%25").replace("/", "%2F");
        return e.startsWith(".") ? "%2E" + e.substring(1) : e;
    }

    /** Appends one batch's entries to the open segment (or a new one); {@link #sync} makes them durable. */
    public void append(List<Journal.Entry> entries) throws IOException {
        if (entries.isEmpty()) return;
        Files.createDirectories(dir);
        String batch = entries.get(0).batch();
        Path segment = openSegment(batch);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(Journal.encode(entries));
            while (buf.hasRemaining()) ch.write(buf);
        }
        unsynced.add(segment);
    }

    /** Fsyncs the segments appended to since the last call (and the directory, for a new segment's name). */
    public void sync() throws IOException {
        List<Path> segments;
        synchronized (unsynced) {
            segments = List.copyOf(unsynced);
            unsynced.clear();
        }
        if (segments.isEmpty()) return;
        for (Path segment : segments) {
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.force(true);
            } catch (java.nio.file.NoSuchFileException e) {
                // uploaded and deleted meanwhile
            }
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** name → content of the segments here (what a restore merges with the target's copy). */
    public Map<String, byte[]> segments() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : sizes().keySet()) out.put(name, Files.readAllBytes(dir.resolve(name)));
        return out;
    }

    private NavigableMap<String, Long> sizes() throws IOException {
        NavigableMap<String, Long> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
            for (Path f : files) out.put(f.getFileName().toString(), Files.size(f));
        }
        return out;
    }

    /** Bytes appended since the last upload. */
    public long pending() throws IOException {
        return total() - uploadedBytes();
    }

    /**
     * Whether to upload now: something is pending, and the target has been idle for {@link #IDLE_UPLOAD} since the last
     * batch (null: none yet), or the oldest line not uploaded has waited {@link #BUSY_UPLOAD} ({@code pendingSince}).
     * Never sooner while the target is busy: an upload is one more rsync beside the pushes, competing with them.
     */
    static boolean uploadDue(long pending, Instant now, Instant lastBatchEnd, Instant pendingSince, boolean targetBusy) {
        if (pending <= 0) return false;
        if (!targetBusy && (lastBatchEnd == null || !now.isBefore(lastBatchEnd.plus(IDLE_UPLOAD)))) return true;
        return pendingSince != null && !now.isBefore(pendingSince.plus(BUSY_UPLOAD));
    }

    /**
     * Sends the segments to the target's {@code .agent/journal/} (made when missing; a history deleted by hand gets
     * its journal back), then keeps only the newest segment here.
     */
    void upload(TargetRsync rsync) throws IOException {
        long total = total();
        if (total == 0) return;
        // -z: a journal is text of repeated batch names and paths (5,000 entries: 240 kB, 13 kB compressed)
        Processes.Result r = rsync.run(List.of("-rtz", "--mkpath", "--include=*.log", "--exclude=*", dir + "/",
                rsync.root() + Layout.JOURNAL + "/"));
        if (!r.ok()) throw rsync.failed("upload the journal to " + rsync.root(), r);
        NavigableMap<String, Long> sizes = sizes();
        long kept = 0;
        for (Map.Entry<String, Long> s : sizes.entrySet()) {
            if (s.getKey().equals(sizes.lastKey())) kept = s.getValue();
            else Files.delete(dir.resolve(s.getKey()));
        }
        AtomicFile.write(dir.resolve(UPLOADED), Long.toString(kept).getBytes(StandardCharsets.US_ASCII), 0600);
    }

    private Path openSegment(String batch) throws IOException {
        NavigableMap<String, Long> sizes = sizes();
        if (!sizes.isEmpty()) {
            String newest = sizes.lastKey();
            boolean sameDay = newest.regionMatches(0, batch, 0, 10);
            if (sameDay && sizes.get(newest) < SEGMENT_BYTES) return dir.resolve(newest);
        }
        Path fresh = dir.resolve(batch + ".log");
        if (!Files.exists(fresh)) {
            Files.createFile(fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return fresh;
    }

    private long total() throws IOException {
        long n = 0;
        for (long size : sizes().values()) n += size;
        return n;
    }

    private long uploadedBytes() throws IOException {
        Path marker = dir.resolve(UPLOADED);
        if (!Files.exists(marker)) return 0;
        try {
            return Long.parseLong(Files.readString(marker).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
