package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    static final Path BAD = Path.of("src/test/resources/bad");
    static final Path EXAMPLES = Path.of("../examples");
    static final Map<String, String> ENV = Map.of("PW", "secret");

    /** Every problem of a file, as "LINE:COL: [warning: ]message". */
    static List<String> problems(String yaml, Map<String, String> env) {
        try {
            return StateFile.load("f", yaml.getBytes(StandardCharsets.UTF_8), env).warnings().stream()
                    .map(StateFileTest::located).toList();
        } catch (InvalidStateException e) {
            return e.diagnostics().stream().map(StateFileTest::located).toList();
        }
    }

    static String located(Diagnostic d) {
        return d.toString().substring(d.file().length() + 1).stripLeading();
    }

    static State valid(String yaml) throws InvalidStateException {
        return StateFile.load("f", yaml.getBytes(StandardCharsets.UTF_8), ENV).state();
    }

    @TestFactory
    Stream<DynamicTest> everyBadFileGivesExactlyItsExpectedDiagnostics() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(BAD)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 25, "corpus of at least 25 bad files, found " + files.size());
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Path expectedFile = Path.of(file.toString().replaceAll("\\.yaml$", ".expected"));
            List<String> expected = Files.readAllLines(expectedFile);
            assertFalse(expected.isEmpty(), expectedFile + " lists no diagnostics");
            InvalidStateException e = assertThrows(InvalidStateException.class,
                    () -> StateFile.load("bad.yaml", Files.readAllBytes(file), ENV));
            assertEquals(expected, e.diagnostics().stream().map(StateFileTest::located).toList());
            e.diagnostics().forEach(d -> assertEquals("bad.yaml", d.file()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsValidAndStartsWithTheSchemaModeline() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 5, "examples found: " + files);
        Map<String, String> env = Map.of("RSYNC_BACKUP_PASSWORD", "x", "AGENT_MIRROR_PASSWORD", "x", "AGENT_DEMO_PASSWORD", "x");
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            byte[] content = Files.readAllBytes(file);
            assertTrue(new String(content, StandardCharsets.UTF_8)
                    .startsWith("# yaml-language-server: $schema=../schema/state.schema.json\n"));
            StateFile.Loaded loaded = StateFile.load(file.toString(), content, env);
            assertEquals(List.of(), loaded.warnings());
        }));
    }

    @Test
    void theBackupServerExampleBindsToTheTutorialsDaemon() throws Exception {
        State state = StateFile.load(EXAMPLES.resolve("backup-server.yaml"), Map.of("RSYNC_BACKUP_PASSWORD", "x")).state();
        Server server = state.server().orElseThrow();
        assertEquals("rsync", server.runAs());
        assertEquals(Path.of("/etc/rsync.password"), server.secretsFile());
        assertEquals(List.of(new Server.User("rsync_backup", new Secret.Env("RSYNC_BACKUP_PASSWORD"))), server.users());
        Server.Module data = server.modules().get(0);
        assertEquals("data", data.name());
        assertEquals(Path.of("/data"), data.path());
        assertEquals(List.of("172.16.1.0/24"), data.hostsAllow());
        assertEquals(List.of(new Server.AuthUser("rsync_backup", Server.AuthUser.Access.DEFAULT)), data.authUsers());
        assertEquals(Duration.ofSeconds(300), server.timeout());
        assertEquals(Optional.empty(), state.client());
    }

    @Test
    void theDemoPushesToTheLoopbackDaemonItDescribes() throws Exception {
        State state = StateFile.load(EXAMPLES.resolve("demo.yaml"), Map.of("AGENT_DEMO_PASSWORD", "x")).state();
        Server server = state.server().orElseThrow();
        assertEquals(18873, server.port());
        assertEquals("root", server.runAs());
        assertFalse(server.useChroot());
        Watch watch = state.watches().get(0);
        assertEquals(Duration.ofMillis(500), watch.delay());
        assertEquals(new Target.Daemon("demo", "127.0.0.1", 18873, "backup", ""), watch.targets().get(0).endpoint());
        assertEquals(Optional.of(Path.of("/etc/agent-demo/rsync.passwd")), watch.targets().get(0).passwordFile());
    }

    @Test
    void aLiteralPasswordIsRefusedOnlyInAFileOthersCanRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.yaml");
        Files.writeString(file, "version: 1\nserver:\n  users:\n    - { name: u, password: { value: hunter2 } }\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> StateFile.load(file, Map.of()));
        assertEquals(List.of("4:37: a literal password in a state file others can read: chmod o-r the file, or use env or file"),
                e.diagnostics().stream().map(StateFileTest::located).toList());
        assertFalse(e.getMessage().contains("hunter2"));

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        State state = StateFile.load(file, Map.of()).state();
        assertEquals(new Secret.Literal("hunter2"), state.server().orElseThrow().users().get(0).password());
        assertEquals("(sensitive)", state.server().orElseThrow().users().get(0).password().toString());
    }

    @Test
    void anUnreadableFileIsOneDiagnosticWithoutPosition(@TempDir Path dir) {
        InvalidStateException e = assertThrows(InvalidStateException.class,
                () -> StateFile.load(dir.resolve("missing.yaml"), Map.of()));
        assertEquals(List.of(dir.resolve("missing.yaml") + ": cannot read: no such file"),
                e.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void anUnsetEnvironmentVariableIsAWarningAndTheStateStillLoads() throws Exception {
        String yaml = "version: 1\nclient:\n  password_files: [{ path: /etc/p, password: { env: NOPE } }]\n";
        StateFile.Loaded loaded = StateFile.load("f", yaml.getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(List.of("3:53: warning: environment variable NOPE is not set (apply needs it)"),
                loaded.warnings().stream().map(StateFileTest::located).toList());
        assertEquals(List.of(), problems(yaml, Map.of("NOPE", "x")));
    }

    /**
     * Damaged copies of the examples (characters dropped, inserted, lines repeated or swapped, a fixed seed) either load
     * or are refused with diagnostics: no other exception escapes, whatever the damage.
     */
    @Test
    void damagedExamplesAreLoadedOrRefusedNeverThrownAt() throws IOException {
        java.util.Random random = new java.util.Random(42);
        String alphabet = " :-[]{}\"'#&*!|>\t\n0aZ/%@,.~?";
        List<Path> files;
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        int refused = 0;
        for (Path file : files) {
            String original = Files.readString(file);
            for (int round = 0; round < 200; round++) {
                StringBuilder text = new StringBuilder(original);
                for (int edits = 1 + random.nextInt(3); edits > 0; edits--) damage(text, random, alphabet);
                try {
                    StateFile.load("damaged", text.toString().getBytes(StandardCharsets.UTF_8), ENV);
                } catch (InvalidStateException e) {
                    refused++;
                    assertFalse(e.diagnostics().isEmpty());
                }
            }
        }
        assertTrue(refused > 0);
    }

    private static void damage(StringBuilder text, java.util.Random random, String alphabet) {
        int at = random.nextInt(text.length());
        switch (random.nextInt(4)) {
            case 0 -> text.deleteCharAt(at);
            case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            case 2 -> {
                int start = text.lastIndexOf("\n", at) + 1;
                int end = text.indexOf("\n", at);
                text.insert(start, text.substring(start, end < 0 ? text.length() : end + 1));
            }
            default -> {
                String[] lines = text.toString().split("\n", -1);
                int a = random.nextInt(lines.length);
                int b = random.nextInt(lines.length);
                String t = lines[a]; lines[a] = lines[b]; lines[b] = t;
                text.setLength(0);
                text.append(String.join("\n", lines));
            }
        }
    }

    @Test
    void problemsOfEveryStageAreReportedTogetherInFileOrder() {
        String yaml = """
                version: 1
                watches:
                  - name: a
                    source: /data
                    targets: [{ url: "rsync://u@h/m" }]
                    delay: soon
                  - name: a
                    source: /data/x
                    targets: [{ url: /b }]
                """;
        assertEquals(List.of(
                "5:15: target rsync://u@h/m names user 'u': give password_file or password",
                "6:12: must be a duration like 500ms, 1s, 2m or 1h (or 0)",
                "7:11: duplicate watch name 'a'",
                "8:13: source /data/x overlaps the source /data of watch 'a'"), problems(yaml, ENV));
    }
}
