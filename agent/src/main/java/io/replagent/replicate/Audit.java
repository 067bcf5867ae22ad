package io.replagent.replicate;

import io.replagent.tree.RawNames;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checksum comparison of source and target (rsync --checksum --dry-run, itemized): what is missing on the target,
 * what differs in content, what the target has extra. Attribute-only differences (a directory's mtime) are not
 * counted. Parsing is pure; {@link #run} does the one rsync.
 */
final class Audit {

    /** How many paths are kept to show (the counts are complete). */
    static final int SHOWN = 20;

    /** A difference: the raw path, and whether it is missing at the target, differs, or is extra there. */
    record Difference(String path, Kind kind, boolean dir) {}

    enum Kind { MISSING, DIFFERS, EXTRA }

    /**
     * @param differences every difference found (raw paths), for a repair
     * @param error       null when the comparison ran, else rsync's error
     */
    record Result(Instant at, long missing, long differs, long extra, List<Difference> differences, boolean repaired,
                  String error) {
        long total() {
            return missing + differs + extra;
        }

        /** The first differences for status, names decoded for display. */
        List<String> shown() {
            return differences.stream().limit(SHOWN).map(d -> d.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                    + RawNames.display(d.path())).toList();
        }

        /** One line for the log. */
        String summary() {
            return error != null ? error : missing + " missing, " + differs + " differ, " + extra + " extra on the target"
                    + (repaired ? "; queued to be sent again" : "");
        }

        Result repaired(boolean repaired) {
            return new Result(at, missing, differs, extra, differences, repaired, error);
        }
    }

    /** {@code %i %n}: 11 characters of itemized change ("*deleting" and 2 spaces), a space, the name (a dir ends in '/'). */
    private static final Pattern LINE = Pattern.compile("^(\\*deleting  |[<>ch.][fdLDS][^ ]{9}) (.+)$");

    private Audit() {}

    static Result run(RsyncRunner runner, RsyncArgs args, Instant at) {
        RsyncRunner.Result r = runner.run(args.audit(), null);
        if (RsyncExit.classify(r.exit(), r.rawError()) != RsyncExit.OK) {
            return new Result(at, 0, 0, 0, List.of(), false, "rsync exit " + r.exit() + ": " + Settlement.lastLine(r.error()));
        }
        return parse(r.output(), at);
    }

    /** @param output rsync's stdout, raw */
    static Result parse(String output, Instant at) {
        long missing = 0, differs = 0, extra = 0;
        List<Difference> found = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            String code = m.group(1);
            String name = FailedPaths.unescape(m.group(2));
            boolean dir = name.endsWith("/");
            String path = dir ? name.substring(0, name.length() - 1) : name;
            if (path.isEmpty() || path.equals(".")) continue;
            Kind kind;
            if (code.startsWith("*deleting")) kind = Kind.EXTRA;
            else if (code.substring(2).startsWith("+++")) kind = Kind.MISSING;
            else if ("<>c".indexOf(code.charAt(0)) >= 0) kind = Kind.DIFFERS; // '<': sent, as a push to a daemon says
            else continue; // attributes only
            switch (kind) {
                case MISSING -> missing++;
                case DIFFERS -> differs++;
                default -> extra++;
            }
            found.add(new Difference(path, kind, dir));
        }
        return new Result(at, missing, differs, extra, found, false, null);
    }
}
