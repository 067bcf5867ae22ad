package io.replagent.watch;

import io.replagent.tree.RawNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The watch's exclude patterns, read as rsync reads them: a trailing '/' matches directories only; a leading '/'
 * anchors at the source root; a pattern with an inner '/' or '**' matches the trailing part of the path,
 * one without matches the last component. '*' stays within a component, '**' crosses them, '?' and [..] as in rsync.
 * The same patterns go to rsync as --exclude, so what is not watched is not sent either.
 */
final class Excludes {

    private record Rule(Pattern pattern, boolean dirOnly, boolean wholePath) {}

    private final List<Rule> rules = new ArrayList<>();

    Excludes(List<String> patterns) {
        for (String p : patterns) {
            boolean dirOnly = p.endsWith("/") && p.length() > 1;
            String body = dirOnly ? p.substring(0, p.length() - 1) : p;
            boolean anchored = body.startsWith("/");
            if (anchored) body = body.substring(1);
            boolean wholePath = anchored || body.contains("/") || body.contains("**");
            String regex = (anchored || !wholePath ? "" : "(?:.*/)?") + globToRegex(body);
            rules.add(new Rule(Pattern.compile(regex, Pattern.DOTALL), dirOnly, wholePath));
        }
    }

    /** @param raw path relative to the root (raw form) */
    boolean excluded(String raw, boolean dir) {
        for (Rule rule : rules) {
            if (rule.dirOnly && !dir) continue;
            String subject = rule.wholePath ? raw : RawNames.name(raw);
            if (rule.pattern.matcher(subject).matches()) return true;
        }
        return false;
    }

    private static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 2);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String set = glob.substring(i + 1, end);
                    if (set.startsWith("!")) set = "^" + set.substring(1);
                    re.append('[').append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
