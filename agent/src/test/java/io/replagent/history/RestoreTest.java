package io.replagent.history;

import io.replagent.state.Retention;
import io.replagent.state.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class RestoreTest {

    private static final Instant T = Instant.parse("2026-12-01T08:15:02.123Z");

    @TempDir Path dir;

    @Test void theDefaultDestinationIsANewDirectoryBesideTheSource() throws Exception {
        Path source = dir.resolve("data");
        assertEquals(dir.resolve("data.restored-2026-12-01T08-15-02.123Z"), Restore.besideSource(source, T, T.plusSeconds(9)));
        assertEquals(dir.resolve("data.restored-2026-12-01T08-15-11.123Z"), Restore.besideSource(source, null, T.plusSeconds(9)));
        Files.createDirectory(dir.resolve("data.restored-2026-12-01T08-15-02.123Z"));
        assertEquals(dir.resolve("data.restored-2026-12-01T08-15-02.123Z-2"), Restore.besideSource(source, T, T));
    }

    @Tag("e2e")
    @Test void restoresTheGivenPathsAsOfATimeAndSaysWhatIsNoLongerKept() throws Exception {
        Path source = Files.createDirectories(dir.resolve("data"));
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Target target = new Target("b", new Target.Local(backup), Optional.empty(), Optional.empty(), Optional.of(Retention.FOREVER));
        HistoryPushes pushes = new HistoryPushes(source, target, dir.resolve("state"));
        Files.writeString(Files.createDirectories(source.resolve("docs")).resolve("a"), "a1");
        Files.writeString(source.resolve("other"), "o1");
        pushes.push(T);
        Files.writeString(source.resolve("docs/a"), "a22");
        Files.writeString(source.resolve("other"), "o22");
        pushes.push(T.plusSeconds(60));
        HistoryStore store = HistoryStore.of(target, Map.of());
        Path to = dir.resolve("out");
        Restore.Summary s = Restore.run(store, Map.of(), T.plusSeconds(30), List.of("docs"), to, (f, b) -> {});
        assertEquals("a1", Files.readString(to.resolve("docs/a")));
        assertFalse(Files.exists(to.resolve("other")));
        assertEquals(1, s.files());
        assertEquals(2, s.bytes());
        assertEquals(List.of(), s.unavailable());
        assertEquals("a22", Files.readString(source.resolve("docs/a")));
    }
}
