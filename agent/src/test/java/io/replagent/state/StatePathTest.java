package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatePathTest {

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        /              | /
        //             | /
        /./            | /
        /srv/data/     | /srv/data
        //srv//./data  | /srv/data
        /srv/.data     | /srv/.data
        """)
    void oneSpelling(String written, String normal) {
        assertEquals(normal, StatePath.normalize(written, "a path"));
    }

    @Test void dotDotAndRelativePathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StatePath.normalize("/x/..", "a path"));
        assertThrows(IllegalArgumentException.class, () -> StatePath.normalize("srv", "a path"));
    }

    @Test void symlinksResolveAsFarAsThePathExistsDanglingOnesToo() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("link"), real);
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("real/not-yet"));
        assertEquals(real.toRealPath().resolve("a/b"), StatePath.real(dir.resolve("link/a/b")));
        assertEquals(real.toRealPath().resolve("not-yet/c"), StatePath.real(dir.resolve("dangling/c")));
        assertEquals(Path.of("/nowhere/at/all"), StatePath.real(Path.of("/nowhere/at/all")));
    }

    @Test void insideIsByWholeSegments() {
        assertEquals(true, StatePath.inside(Path.of("/a/b"), Path.of("/a")));
        assertEquals(false, StatePath.inside(Path.of("/ab"), Path.of("/a")));
    }
}
