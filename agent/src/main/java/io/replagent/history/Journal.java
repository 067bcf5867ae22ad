package io.replagent.history;

import io.replagent.tree.RawNames;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pushes of a target did to each path, batch by batch: the one record that tells when a path was
 * <em>created</em> (a renamed tree keeps its old mtimes, {@code cp -p} puts them in the past, so the history
 * alone cannot). One line per event, {@code BATCH TAB KIND TAB PATH}: KIND is created, replaced or deleted, a
 * directory's PATH ends in '/'; a move's line is {@code BATCH TAB moved TAB FROM TAB TO}. Paths are raw (one char
 * per byte); a backslash, control bytes (a tab too) and the bytes of a name that is not UTF-8 are written
 * {@code \\}, {@code \xHH}, so a line is one line whatever the name.
 */
public final class Journal {

    /**
     * What a batch did to a path. REPLACED and DELETED kept the old copy in the batch's history directory. MOVED
     * deleted a file of a moved directory without keeping a copy: the batch had hard-linked it to its new name
     * first, so its content until the batch is that of the new name right after it (see {@link MovedAway}).
     */
    public enum Kind {
        CREATED, REPLACED, DELETED, MOVED;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The batch kept the copy the path had before it (rsync's backup). */
        boolean saves() {
            return this == REPLACED || this == DELETED;
        }
    }

    /**
     * One event: batch {@code batch} created, replaced, deleted or moved {@code path} (raw, relative to the target
     * root); {@code to}: a moved file's new name, null for the other kinds.
     */
    public record Entry(String batch, Kind kind, String path, boolean dir, String to) {
        public Entry(String batch, Kind kind, String path, boolean dir) {
            this(batch, kind, path, dir, null);
        }
    }

    /** The entries read back, and how many lines could not be (a line torn by a crash, a foreign line). */
    public record Read(List<Entry> entries, int skipped) {}

    private Journal() {}

    /**
     * The entries of journal segments (name → content) from several places, the target's copy and the source's
     * local one: a segment is read once, from its longest copy (the local one has the tail not uploaded yet).
     */
    @SafeVarargs
    public static Read read(Map<String, byte[]>... sources) {
        Map<String, byte[]> longest = new TreeMap<>();
        for (Map<String, byte[]> source : sources) {
            source.forEach((name, content) -> longest.merge(name, content, (a, b) -> a.length >= b.length ? a : b));
        }
        List<Entry> entries = new ArrayList<>();
        int skipped = 0;
        for (byte[] content : longest.values()) {
            Read r = decode(content);
            entries.addAll(r.entries());
            skipped += r.skipped();
        }
        return new Read(entries, skipped);
    }

    /** The newest batch a segment holds, null when it holds none (what pruning needs to know of a segment). */
    public static String newestBatch(byte[] content) {
        String newest = null;
        for (Entry e : decode(content).entries()) if (newest == null || e.batch().compareTo(newest) > 0) newest = e.batch();
        return newest;
    }

    public static byte[] encode(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            out.writeBytes((e.batch() + "\t" + e.kind().word() + "\t").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(escape(e.path() + (e.dir() && !e.path().isEmpty() ? "/" : "")).getBytes(StandardCharsets.UTF_8));
            if (e.to() != null) out.writeBytes(("\t" + escape(e.to())).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    public static Read decode(byte[] content) {
        List<Entry> entries = new ArrayList<>();
        int skipped = 0;
        String text = new String(content, StandardCharsets.UTF_8);
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) { // no newline: the last line was torn by a crash
                skipped++;
                break;
            }
            Entry e = line(text.substring(start, nl));
            if (e == null) skipped++;
            else entries.add(e);
            start = nl + 1;
        }
        return new Read(entries, skipped);
    }

    private static Entry line(String line) {
        String[] f = line.split("\t", 3);
        if (f.length != 3 || Layout.batchTime(f[0]).isEmpty()) return null;
        Kind kind;
        try {
            kind = Kind.valueOf(f[1].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
        String to = null;
        if (kind == Kind.MOVED) { // FROM TAB TO: an escaped path has no tab of its own
            int tab = f[2].indexOf('\t');
            if (tab < 0 || (to = unescape(f[2].substring(tab + 1))) == null || to.isEmpty()) return null;
            f[2] = f[2].substring(0, tab);
        }
        String path = unescape(f[2]);
        if (path == null || (kind == Kind.MOVED && (path.isEmpty() || path.endsWith("/")))) return null;
        boolean dir = path.endsWith("/");
        return new Entry(f[0], kind, dir ? path.substring(0, path.length() - 1) : path, dir, to);
    }

    /** The text form of a raw path: UTF-8 where the name is, {@code \xHH} for the bytes that are not. */
    static String escape(String raw) {
        boolean utf8 = RawNames.isUtf8(raw);
        String chars = utf8 ? RawNames.display(raw) : raw;
        StringBuilder b = new StringBuilder(chars.length());
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c == '\\') b.append("\\\\");
            else if (c < 0x20 || c == 0x7f || (!utf8 && c >= 0x80)) b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    /** The raw path of an escaped one, null when the escapes are broken. */
    static String unescape(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '\\') {
                bytes.write(in[i]);
            } else if (i + 1 < in.length && in[i + 1] == '\\') {
                bytes.write('\\');
                i++;
            } else if (i + 3 < in.length && in[i + 1] == 'x' && hex(in[i + 2]) >= 0 && hex(in[i + 3]) >= 0) {
                bytes.write(hex(in[i + 2]) * 16 + hex(in[i + 3]));
                i += 3;
            } else {
                return null;
            }
        }
        byte[] b = bytes.toByteArray();
        return RawNames.fromBytes(b, 0, b.length);
    }

    private static int hex(byte c) {
        return Character.digit(c, 16);
    }
}
