package io.replagent.replicate;

import io.replagent.tree.RawNames;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which listed paths a partial transfer (exit 23) did not deliver, read from rsync's own per-file errors, e.g.
 * {@code rsync: [sender] send_files failed to open "/src/a/f": Permission denied (13)} or
 * {@code rsync: [receiver] rename "/dst/.agent/tmp/f.XyZ" -> "a/f": Operation not permitted (1)}.
 * An error's path is taken relative to the source or target root it starts with, as it is when relative (the
 * receiver's names), and else (a daemon prints its own absolute paths) by the suffixes of it that name a listed path:
 * only when exactly one does. A path is matched to the listed path that is it or holds it. When any error cannot be
 * matched for sure, the answer is empty: the caller then re-sends the whole list, as it must not guess.
 */
final class FailedPaths {

    private static final Pattern RENAMED_TO = Pattern.compile("-> \"(.*)\": ");
    private static final Pattern QUOTED = Pattern.compile("\"(.*?)\"(?: \\(in [^)]*\\))?(?::| failed| ->|$)");
    private static final Pattern ESCAPE = Pattern.compile("\\\\#([0-7]{3})");

    private FailedPaths() {}

    /**
     * @param stderr rsync's error output, raw (one char per byte)
     * @param listed the raw relative paths the run was given
     * @param roots  raw absolute directories the paths are relative to (source, local target), each ending in '/'
     * @return the listed paths that failed, or empty when some error names no listed path (or none names any)
     */
    static Optional<Set<String>> of(String stderr, Collection<String> listed, Collection<String> roots) {
        Set<String> paths = new HashSet<>(listed);
        Set<String> failed = new LinkedHashSet<>();
        for (String line : stderr.split("\n")) {
            if (!line.startsWith("rsync: ")) continue; // "rsync error: ... (code 23)" is the summary, not a file
            String path = pathIn(line);
            String match = path == null ? null : match(unescape(path), paths, roots);
            if (match == null) return Optional.empty();
            failed.add(match);
        }
        return failed.isEmpty() ? Optional.empty() : Optional.of(failed);
    }

    private static String pathIn(String line) {
        Matcher renamed = RENAMED_TO.matcher(line);
        if (renamed.find()) return renamed.group(1);
        Matcher quoted = QUOTED.matcher(line);
        return quoted.find() ? quoted.group(1) : null;
    }

    private static String match(String path, Set<String> listed, Collection<String> roots) {
        for (String root : roots) if (path.startsWith(root)) return holder(path.substring(root.length()), listed);
        if (!path.startsWith("/")) return holder(path.startsWith("./") ? path.substring(2) : path, listed);
        String found = null;
        for (String p = path.substring(1); ; p = p.substring(p.indexOf('/') + 1)) {
            String h = holder(p, listed);
            if (h != null && found != null && !h.equals(found)) return null; // two readings: do not guess
            if (h != null) found = h;
            if (p.indexOf('/') < 0) return found;
        }
    }

    /** The listed path equal to {@code path} or holding it, or null. */
    private static String holder(String path, Set<String> listed) {
        for (String q = path; !q.isEmpty(); q = RawNames.parent(q)) if (listed.contains(q)) return q;
        return null;
    }

    /** rsync prints unprintable bytes of a name as \#ooo (octal). */
    static String unescape(String text) {
        Matcher m = ESCAPE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        return m.appendTail(out).toString();
    }
}
