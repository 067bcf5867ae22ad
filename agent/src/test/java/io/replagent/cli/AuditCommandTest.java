package io.replagent.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `agent audit` against a local target with real rsync: drift found, shown, repaired. */
@Tag("e2e")
class AuditCommandTest {

    @TempDir Path root;

    @Test void findsDriftThenRepairsIt() throws Exception {
        Path src = Files.createDirectories(root.resolve("src"));
        Path dst = Files.createDirectories(root.resolve("dst/.agent/tmp")).getParent().getParent();
        Files.writeString(src.resolve("same"), "content");
        Files.writeString(src.resolve("gone"), "g");
        Files.writeString(dst.resolve("same"), "CONTENT"); // same size and mtime: only a checksum sees it
        FileTime t = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(src.resolve("same"), t);
        Files.setLastModifiedTime(dst.resolve("same"), t);
        Files.writeString(dst.resolve("extra"), "x");
        Path state = CliFixture.write(root, """
                version: 1
                settings: { state_dir: %s/state }
                watches:
                  - { name: w, source: %s, targets: [ { name: t, url: %s } ] }
                """.formatted(root, src, dst));
        CliFixture.Run found = CliFixture.run(List.of("audit", state.toString(), "w"), "", false, Map.of());
        assertEquals(ExitCode.CHANGES, found.exit(), found.err());
        assertTrue(found.out().startsWith("w/t: 1 missing, 1 differ, 1 extra on the target\n"), found.out());
        assertTrue(found.out().contains("  differs same\n") && found.out().contains("  missing gone\n"), found.out());
        assertEquals("CONTENT", Files.readString(dst.resolve("same")), "an audit alone changes nothing");
        assertFalse(Files.exists(root.resolve("state/queue")), "no queue file is touched");

        CliFixture.Run json = CliFixture.run(List.of("audit", state.toString(), "w", "--json"), "", false, Map.of());
        assertTrue(json.out().contains("\"differs\" : 1") && json.out().contains("\"result\" : \"differences\""), json.out());

        CliFixture.Run repaired = CliFixture.run(List.of("audit", state.toString(), "w", "--repair"), "", false, Map.of());
        assertEquals(ExitCode.OK, repaired.exit(), repaired.err());
        assertEquals("content", Files.readString(dst.resolve("same")));
        assertEquals("g", Files.readString(dst.resolve("gone")));
        assertFalse(Files.exists(dst.resolve("extra")), "extra on the target, deleted (delete: true)");
        assertEquals(ExitCode.OK, CliFixture.run(List.of("audit", state.toString(), "w"), "", false, Map.of()).exit());

        CliFixture.Run unknown = CliFixture.run(List.of("audit", state.toString(), "nosuch"), "", false, Map.of());
        assertEquals(ExitCode.USAGE, unknown.exit());
        assertTrue(unknown.err().contains("no watch 'nosuch' in the state (watches: w)"), unknown.err());
    }
}
