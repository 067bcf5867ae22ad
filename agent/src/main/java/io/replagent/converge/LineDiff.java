package io.replagent.converge;

import java.util.ArrayList;
import java.util.List;

/** A unified-style line diff (3 lines of context), for showing how a managed config file will change. */
final class LineDiff {

    private static final int CONTEXT = 3;

    private LineDiff() {}

    static List<String> unified(String label, List<String> before, List<String> after) {
        List<String> edits = edits(before, after);
        List<String> out = new ArrayList<>();
        out.add("--- " + label + " (on host)");
        out.add("+++ " + label + " (from state)");
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).charAt(0) == ' ') { i++; continue; }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // extend the hunk while the next change is within 2*CONTEXT unchanged lines
            for (int j = i, quiet = 0; j < edits.size() && quiet <= 2 * CONTEXT; j++) {
                if (edits.get(j).charAt(0) == ' ') quiet++;
                else { quiet = 0; end = j; }
            }
            end = Math.min(edits.size() - 1, end + CONTEXT);
            out.add(header(edits, start, end));
            out.addAll(edits.subList(start, end + 1));
            i = end + 1;
        }
        return out;
    }

    private static String header(List<String> edits, int start, int end) {
        int oldStart = 1, newStart = 1;
        for (int k = 0; k < start; k++) {
            char c = edits.get(k).charAt(0);
            if (c != '+') oldStart++;
            if (c != '-') newStart++;
        }
        int oldCount = 0, newCount = 0;
        for (int k = start; k <= end; k++) {
            char c = edits.get(k).charAt(0);
            if (c != '+') oldCount++;
            if (c != '-') newCount++;
        }
        return "@@ -" + range(oldStart, oldCount) + " +" + range(newStart, newCount) + " @@";
    }

    private static String range(int start, int count) {
        return count == 0 ? (start - 1) + ",0" : start + "," + count;
    }

    /** Longest-common-subsequence edit script: each line prefixed with ' ', '-' or '+'. */
    static List<String> edits(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--)
            for (int j = b.size() - 1; j >= 0; j--)
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        List<String> out = new ArrayList<>();
        int i = 0, j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) { out.add(" " + a.get(i)); i++; j++; }
            else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) out.add("-" + a.get(i++));
            else out.add("+" + b.get(j++));
        }
        return out;
    }
}
