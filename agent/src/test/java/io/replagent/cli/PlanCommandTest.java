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
        assertEquals("agent plan: Unknown option: '--bogus'\n"
                + "Usage: agent plan [-h] [--detailed-exitcode] [--json] [--root=DIR] FILE|-\n"
                + "Try 'agent plan --help' for more information.\n", unknown.err());
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

    /**
     * Issue 11, item 2, end to end: config_file: /etc/shadow printed the file's lines as a '-' diff, in text and --json,
     * and apply replaced it. Now plan blocks on it, shows its size and hash only, and apply leaves it as it was.
     */
    @Test void aFileTheAgentDidNotWriteIsShownBySizeAndHashOnlyAndLeftAlone() throws Exception {
        Path shadow = Files.createDirectories(root.resolve("etc")).resolve("shadow");
        String hash = "root:$6$SALTsalt$0123456789abcdefHASH:19000:0:99999:7:::";
        Files.writeString(shadow, hash + "\n");
        String state = CliFixture.backupServer("agtplanonly", Ports.free(), "process")
                .replace("server:\n", "server:\n  config_file: /etc/shadow\n");
        Path file = CliFixture.write(dir, state);
        for (List<String> flags : List.of(List.<String>of(), List.of("--json"))) {
            List<String> args = new java.util.ArrayList<>(List.of("plan", file.toString(), "--root", root.toString()));
            args.addAll(flags);
            CliFixture.Run r = CliFixture.run(args, "", false);
            assertFalse(r.out().contains("SALTsalt") || r.err().contains("SALTsalt"), "no line of it: " + r.out());
            assertTrue(r.out().contains("bytes, sha256 ") && r.out().contains("settings.adopt"), r.out());
        }
        CliFixture.Run apply = CliFixture.run(List.of("apply", file.toString(), "--root", root.toString(), "--auto-approve",
                "--converge-only"), "", false);
        assertEquals(1, apply.exit(), apply.out());
        assertEquals(hash + "\n", Files.readString(shadow));
    }

    /** Issue 11, smaller: `source: /` validated, then plan and apply each answered differently. */
    @Test void sourceRootGivesOneAnswerInValidatePlanAndApply() throws Exception {
        Path file = CliFixture.write(dir, "version: 1\nwatches:\n  - { name: all, source: /, targets: [ { url: /backup } ] }\n");
        String answer = file + ":3:26: a watch must not replicate '/'";
        for (List<String> command : List.of(List.of("validate", file.toString()),
                List.of("plan", file.toString(), "--root", root.toString()),
                List.of("apply", file.toString(), "--root", root.toString(), "--auto-approve"))) {
            CliFixture.Run r = CliFixture.run(command, "", false);
            assertEquals(1, r.exit(), command + ": " + r.out() + r.err());
            assertTrue(r.err().contains(answer), command + ": " + r.err());
        }
    }

    /** Issue 11, item 4: with manage: systemd, `plan --root R` listed /etc/systemd/system/rsync.service on the real host. */
    @Test void underRootNothingIsPlannedOutsideIt() throws Exception {
        Path file = CliFixture.write(dir, CliFixture.backupServer("agtplanonly", Ports.free(), "systemd"));
        CliFixture.Run r = CliFixture.run(List.of("plan", file.toString(), "--root", root.toString()), "", false);
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().contains("manage: systemd writes a unit to the host's /etc/systemd/system and starts it there, "
                + "outside --root " + root), r.err());
        assertFalse(r.out().contains("/etc/systemd/system"), r.out());
    }
}
