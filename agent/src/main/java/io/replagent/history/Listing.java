package io.replagent.history;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tree as a map from raw relative path to what is there, read from {@code rsync --list-only --no-h -r} (a daemon
 * target) or from a walk (a local one); and the history directory split into its batches.
 */
public final class Listing {

    /** What a listed path is. A symlink's size is the length of its target, as rsync lists it. */
    public record Node(Type type, long size) {}

    public enum Type { FILE, DIR, LINK, OTHER }

    /** The history directory: batch name → (path in that batch → node), batches in time order. */
    public record History(NavigableMap<String, Map<String, Node>> batches) {

        public long bytes() {
            long n = 0;
            for (Map<String, Node> b : batches.values()) for (Node node : b.values()) if (node.type() != Type.DIR) n += node.size();
            return n;
        }

        public long versions() {
            long n = 0;
            for (Map<String, Node> b : batches.values()) for (Node node : b.values()) if (node.type() != Type.DIR) n++;
            return n;
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "([-dlcbps])[-rwxsStT]{9}[+.@]?\\s+(\\d+) \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d (.*)");

    private Listing() {}

    /** The lines of {@code rsync --list-only --no-h -r SRC/} (raw): paths relative to SRC, the root itself left out. */
    public static Map<String, Node> parse(String output) {
        Map<String, Node> nodes = new TreeMap<>();
        for (String line : output.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            Type type = switch (m.group(1)) {
                case "-" -> Type.FILE;
                case "d" -> Type.DIR;
                case "l" -> Type.LINK;
                default -> Type.OTHER;
            };
            long size = Long.parseLong(m.group(2));
            String name = Itemized.unescape(m.group(3));
            // "name -> target": the target is as long as the link's size (a name may contain " -> " itself)
            if (type == Type.LINK) name = name.length() >= size + 4 ? name.substring(0, (int) (name.length() - size - 4)) : name;
            if (name.equals(".")) continue;
            nodes.put(name, new Node(type, size));
        }
        return nodes;
    }

    /**
     * The history directory's listing split into batches: the first component names the batch (entries that are not
     * batch names are left out), the rest is the path as it was in the mirror.
     */
    public static History history(Map<String, Node> historyTree) {
        NavigableMap<String, Map<String, Node>> batches = new TreeMap<>();
        historyTree.forEach((path, node) -> {
            int slash = path.indexOf('/');
            String batch = slash < 0 ? path : path.substring(0, slash);
            if (Layout.batchTime(batch).isEmpty()) return;
            Map<String, Node> in = batches.computeIfAbsent(batch, b -> new TreeMap<>());
            if (slash >= 0) in.put(path.substring(slash + 1), node);
        });
        return new History(batches);
    }
}
