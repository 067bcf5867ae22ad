package io.replagent.state;

import java.util.Collection;

/** "did you mean" suggestions for misspelt keys and values. */
final class Hints {

    private Hints() {}

    /** The closest candidate within a small edit distance, as {@code , did you mean 'x'?}, or "". */
    static String didYouMean(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(normalize(given), normalize(c));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, given.length() / 3));
        return best != null && bestDistance <= allowed ? ", did you mean '" + best + "'?" : "";
    }

    /** Case, '-', '_' and spaces do not count as differences. */
    private static String normalize(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_ ]", "");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
