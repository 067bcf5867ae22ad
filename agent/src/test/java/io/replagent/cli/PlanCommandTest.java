package io.replagent.cli;

import org.junit.jupiter.api.Tag;
import io.replagent.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
class PlanCommandTest {

    @TempDir Path root;
    @TempDir Path dir;

    @Test void usageErrorsAreExit64() {
        assertEquals(64, CliFixture.run(List.of("plan"), "", false).exit());
        CliFixture.Run unknown = CliFixture.run(List.of("plan", "x.yaml", "--bogus"), "", false);
        assertEquals(64, unknown.exit());
        assertTrue(unknown.err().contains("unknown option --bogus"), unknown.err());
        assertEquals(64, CliFixture.run(List.of("plan", "x.yaml", "--root"), "", false).exit());
    }

    @Test void aMissingFileIsAnError() {
        CliFixture.Run r = CliFixture.run(List.of("plan", dir.resolve("nope.yaml").toString()), "", false);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("nope.yaml: cannot read: no such file"), r.err());
    }

    @Test void firstPlanOfABackupServerFromStdinShowsEveryCreationAndNoSecret() throws Exception {
        CliFixture.Run r = CliFixture.run(List.of("plan", "-", "--root", root.toString(), "--detailed-exitcode"),
                CliFixture.backupServer("agtplanonly", Ports.free(), "process"), false);
        assertEquals(2, r.exit(), r.err());
        for (String line : List.of("+ user[agtplanonly]", "+ directory[" + root.resolve("data") + "]",
                "+ file.secrets[" + root.resolve("etc/rsync.password") + "]", "+ file: owner root, mode 0600, content (sensitive)",
                "+ file.rsyncd_conf[" + root.resolve("etc/rsyncd.conf") + "]", "+port = ", "+ daemon[rsyncd]",
                "+ file.password[" + root.resolve("etc/rsync.passwd") + "]", "Plan: 6 to add, 0 to change, 0 to destroy."))
            assertTrue(r.out().contains(line), line + " in\n" + r.out());
        assertFalse(r.out().contains(CliFixture.PASSWORD) || r.err().contains(CliFixture.PASSWORD));
        try (var listing = Files.list(root)) {
            assertEquals(0, listing.count(), "plan changes nothing");
        }
    }

    @Test void jsonIsOneObjectPerLineVersionFirstSummaryLast() throws Exception {
        Path file = CliFixture.write(dir, CliFixture.backupServer("agtplanonly", Ports.free(), "process"));
        CliFixture.Run r = CliFixture.run(List.of("plan", file.toString(), "--root=" + root, "--json"), "", false);
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains("\"type\":\"version\""), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).contains("\"type\":\"change_summary\""));
        assertTrue(lines.stream().allMatch(l -> l.startsWith("{") && l.endsWith("}")));
        assertEquals(6, lines.stream().filter(l -> l.contains("\"type\":\"planned_change\"")).count(), r.out());
        assertFalse(r.out().contains(CliFixture.PASSWORD));
    }

    @Test void anInvalidStateFileInJsonModeIsAVersionLineAndItsDiagnostics() throws Exception {
        String state = CliFixture.backupServer("agtplanonly", Ports.free(), "process").replace("  port:", "  prot:");
        CliFixture.Run r = CliFixture.run(List.of("plan", "-", "--json"), state, false);
        assertEquals(1, r.exit());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains("\"type\":\"version\""), r.out());
        assertTrue(lines.size() > 1 && lines.subList(1, lines.size()).stream().allMatch(l -> l.contains("\"type\":\"diagnostic\"")), r.out());
        assertTrue(r.out().contains("\"line\":3"), r.out());
    }

    @Test void aSecretThatIsNotSetIsAnErrorNamingItsSource() throws Exception {
        String state = CliFixture.backupServer("agtplanonly", Ports.free(), "process").replace("env: RSYNC_BACKUP_PASSWORD", "env: NOT_SET_X");
        CliFixture.Run r = CliFixture.run(List.of("plan", "-", "--root", root.toString()), state, false);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("NOT_SET_X"), r.err());
    }
}
