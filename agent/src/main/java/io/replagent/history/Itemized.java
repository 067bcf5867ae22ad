package io.replagent.history;

import io.replagent.tree.RawNames;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a push did from rsync's per-item output, {@value #OUT_FORMAT} (with {@code -ii} for a move, so
 * that its hard-linked files are listed too), into journal entries:
 * <pre>
 * *deleting   a/b        deleted (its copy was kept)        &gt;f+++++++++ a/b   created
 * &gt;f.st...... a/b        replaced (its copy was kept)       hf          a/b   created by a move's hard link
 * cf          a/b        created: copied from a renamed file's basis (--copy-dest consults missing files only)
 * cd+++++++++ a/         a directory created                .f...p..... a/b   attributes only: nothing kept, no entry
 * </pre>
 * Every other line (rsync's --stats, "created directory", messages) is not an item and is ignored.
 */
public final class Itemized {

    /** The out-format the pushes of a target with history use. */
    public static final String OUT_FORMAT = "%i %n";

    private static final Pattern ITEM = Pattern.compile("(\\*deleting  |[<>ch.][fdLDS][ .+a-zA-Z?]{9}) (.*)");

    private Itemized() {}

    /**
     * The entries of one rsync's output.
     *
     * @param prefix the destination's path below the target root ("" for the root; {@code to} for a moved directory)
     * @param output rsync's output, raw (one char per byte, as the replication's runner reads it)
     */
    public static List<Journal.Entry> entries(String batch, String prefix, String output) {
        List<Journal.Entry> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = ITEM.matcher(line);
            if (!m.matches()) continue;
            String item = m.group(1);
            String name = unescape(m.group(2));
            boolean dir = name.endsWith("/");
            if (dir) name = name.substring(0, name.length() - 1);
            if (name.equals(".")) name = "";
            String path = prefix.isEmpty() ? name : name.isEmpty() ? prefix : prefix + "/" + name;
            boolean deleted = item.startsWith("*");
            if (!deleted) dir |= item.charAt(1) == 'd';
            Journal.Kind kind = deleted ? Journal.Kind.DELETED : kind(item, dir);
            if (kind != null && !path.isEmpty()) out.add(new Journal.Entry(batch, kind, path, dir));
        }
        return out;
    }

    /**
     * The names (relative to the move's destination) a move's push hard-linked from its basis: its {@code hf} and
     * {@code hL} items at {@code -ii}. Only a push whose one basis is the old name and that does not preserve hard
     * links (-H would itemize a link to another file of the transfer alike) may be read so.
     */
    public static Set<String> linked(String output) {
        Set<String> names = new HashSet<>();
        for (String line : output.split("\n")) {
            Matcher m = ITEM.matcher(line);
            if (!m.matches() || m.group(1).charAt(0) != 'h') continue;
            char type = m.group(1).charAt(1);
            if (type == 'f' || type == 'L') names.add(unescape(m.group(2)));
        }
        return names;
    }

    /**
     * Whether a move's destination directory was there before it (its {@code ./} line starts with '.', not 'c'): then
     * {@code --ignore-existing} left the files it had, and a plain push with --backup must follow to replace them and
     * keep their old copies ({@code --link-dest} would replace them without a backup).
     */
    public static boolean destinationExisted(String output) {
        for (String line : output.split("\n")) {
            Matcher m = ITEM.matcher(line);
            if (m.matches() && m.group(2).equals("./")) return m.group(1).charAt(0) == '.';
        }
        return false;
    }

    private static Journal.Kind kind(String item, boolean dir) {
        char update = item.charAt(0);
        boolean created = item.substring(2).startsWith("+++");
        if (dir) return update == 'c' ? Journal.Kind.CREATED : null; // "cd" is a new directory at -i and -ii alike
        if (update == 'h') return Journal.Kind.CREATED; // a move's link: --ignore-existing makes it a new name
        if (update == 'c' && item.charAt(1) == 'f') return Journal.Kind.CREATED; // copied from a --copy-dest basis: new
        if (created) return Journal.Kind.CREATED;
        if (update == '<' || update == '>') return Journal.Kind.REPLACED;
        if (update == 'c' && item.charAt(1) != 'f' && item.substring(2).trim().length() > 0) return Journal.Kind.REPLACED;
        return null;
    }

    /** Output read as UTF-8 (rsync escapes what is not), raw: one char per byte. */
    static String raw(String utf8) {
        byte[] b = utf8.getBytes(StandardCharsets.UTF_8);
        return RawNames.fromBytes(b, 0, b.length);
    }

    /**
     * A name as rsync prints it, raw: {@code \#ooo} is the byte ooo (rsync writes a literal backslash before '#' as
     * {@code \#134}); every other byte is the name's own.
     */
    static String unescape(String printed) {
        byte[] in = RawNames.bytes(printed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\\' && i + 4 < in.length && in[i + 1] == '#' && octal(in[i + 2]) && octal(in[i + 3])
                    && octal(in[i + 4])) {
                out.write((in[i + 2] - '0') * 64 + (in[i + 3] - '0') * 8 + (in[i + 4] - '0'));
                i += 4;
            } else {
                out.write(in[i]);
            }
        }
        byte[] b = out.toByteArray();
        return RawNames.fromBytes(b, 0, b.length);
    }

    private static boolean octal(byte c) {
        return c >= '0' && c <= '7';
    }
}
