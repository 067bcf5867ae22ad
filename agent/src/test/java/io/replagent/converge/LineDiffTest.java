package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineDiffTest {

    @Test void editScriptKeepsCommonLinesAndMarksTheRest() {
        assertEquals(List.of(" a", "-b", "+B", " c"), LineDiff.edits(List.of("a", "b", "c"), List.of("a", "B", "c")));
        assertEquals(List.of("+x", "+y"), LineDiff.edits(List.of(), List.of("x", "y")));
        assertEquals(List.of("-x"), LineDiff.edits(List.of("x"), List.of()));
        assertEquals(List.of(" a", " b"), LineDiff.edits(List.of("a", "b"), List.of("a", "b")));
    }

    @Test void unifiedShowsHunksWithThreeLinesOfContext() {
        List<String> before = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        List<String> after = List.of("1", "2", "3", "4", "5", "six", "7", "8", "9", "10", "11", "12");
        assertEquals(List.of("--- f (on host)", "+++ f (from state)", "@@ -3,7 +3,7 @@", " 3", " 4", " 5", "-6", "+six", " 7", " 8", " 9"),
                LineDiff.unified("f", before, after));
    }

    @Test void distantChangesMakeSeparateHunksCloseOnesOne() {
        List<String> before = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n");
        List<String> far = List.of("A", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "N");
        assertEquals(List.of("--- f (on host)", "+++ f (from state)", "@@ -1,4 +1,4 @@", "-a", "+A", " b", " c", " d",
                "@@ -11,4 +11,4 @@", " k", " l", " m", "-n", "+N"), LineDiff.unified("f", before, far));
        List<String> near = List.of("A", "b", "c", "d", "e", "f", "G", "h", "i", "j", "k", "l", "m", "n");
        assertEquals(List.of("--- f (on host)", "+++ f (from state)", "@@ -1,10 +1,10 @@", "-a", "+A", " b", " c", " d", " e", " f",
                "-g", "+G", " h", " i", " j"), LineDiff.unified("f", before, near));
    }

    @Test void aNewFileIsOneHunkFromNothing() {
        assertEquals(List.of("--- f (on host)", "+++ f (from state)", "@@ -0,0 +1,2 @@", "+x", "+y"),
                LineDiff.unified("f", List.of(), List.of("x", "y")));
    }
}
