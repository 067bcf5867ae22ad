package io.replagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ValidateCommandTest {

    static final String VALID = "version: 1\nwatches: [{ name: w, source: /w, targets: [{ url: /t }] }]\n";
    static final String INVALID = "version: 1\nserver:\n  port: \"873\"\n  readonly: true\n";

    /** One in-process run: exit code, stdout, stderr. */
    record Run(int code, String out, String err) {}

    static Run run(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        int code = Main.run(List.of(args), io);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aValidFileExitsZeroWithASummaryOnStdout(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("state.yaml"), VALID);
        Run r = run("", Map.of(), "validate", file.toString());
        assertEquals(new Run(0, file + ": valid\n", ""), r);
    }

    @Test
    void anInvalidFileExitsOneWithEveryDiagnosticOnStderr(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("state.yaml"), INVALID);
        Run r = run("", Map.of(), "validate", file.toString());
        assertEquals(1, r.code());
        assertEquals(file + ": 2 errors\n", r.out());
        assertEquals(file + ":3:9: \"873\" is a string, write 873 (unquoted)\n"
                + file + ":4:3: unknown key 'readonly'\n", r.err());
    }

    @Test
    void stdinIsReadAndLabelledWithADashWhateverTheContent() {
        assertEquals(new Run(0, "-: valid\n", ""), run(VALID, Map.of(), "validate", "-"));
        Run r = run(INVALID, Map.of(), "validate", "-");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("-:3:9: "), r.err());
    }

    @Test
    void warningsAreCountedButDoNotFail() {
        String yaml = "version: 1\nclient: { password_files: [{ path: /p, password: { env: UNSET_PW } }] }\n";
        Run r = run(yaml, Map.of(), "validate", "-");
        assertEquals(new Run(0, "-: valid (1 warning)\n",
                "-:2:57: warning: environment variable UNSET_PW is not set (apply needs it)\n"), r);
        assertEquals(new Run(0, "-: valid\n", ""), run(yaml, Map.of("UNSET_PW", "x"), "validate", "-"));
    }

    @Test
    void severalFilesAreEachSummarisedAndAnyInvalidOneFails(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), VALID);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), INVALID);
        Run r = run("", Map.of(), "validate", good.toString(), bad.toString(), dir.resolve("missing.yaml").toString());
        assertEquals(1, r.code());
        assertEquals(good + ": valid\n" + bad + ": 2 errors\n" + dir.resolve("missing.yaml") + ": 1 error\n", r.out());
        assertTrue(r.err().endsWith(dir.resolve("missing.yaml") + ": cannot read: no such file\n"), r.err());
    }

    @Test
    void jsonOutputHasTheShapeOfTerraformValidate(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("state.yaml"), INVALID);
        Run r = run("", Map.of(), "validate", "--json", file.toString());
        assertEquals(1, r.code());
        assertEquals("", r.err());
        JsonNode json = JsonMapper.builder().build().readTree(r.out());
        assertEquals("1.0", json.path("format_version").stringValue());
        assertFalse(json.path("valid").booleanValue());
        assertEquals(2, json.path("error_count").intValue());
        assertEquals(0, json.path("warning_count").intValue());
        JsonNode first = json.path("diagnostics").path(0);
        assertEquals("error", first.path("severity").stringValue());
        assertEquals("\"873\" is a string, write 873 (unquoted)", first.path("summary").stringValue());
        assertEquals("", first.path("detail").stringValue());
        assertEquals(file.toString(), first.path("range").path("filename").stringValue());
        assertEquals(3, first.path("range").path("start").path("line").intValue());
        assertEquals(9, first.path("range").path("start").path("column").intValue());
        assertEquals(3, first.path("range").path("end").path("line").intValue());
        assertEquals(14, first.path("range").path("end").path("column").intValue());
    }

    @Test
    void jsonOfAnUnreadableFileHasARangeWithoutPosition(@TempDir Path dir) {
        Run r = run("", Map.of(), "validate", "--json", dir.resolve("missing.yaml").toString());
        assertEquals(1, r.code());
        JsonNode range = JsonMapper.builder().build().readTree(r.out()).path("diagnostics").path(0).path("range");
        assertEquals(dir.resolve("missing.yaml").toString(), range.path("filename").stringValue());
        assertTrue(range.path("start").isMissingNode());
    }

    @Test
    void jsonOfAValidFile() {
        Run r = run(VALID, Map.of(), "validate", "-", "--json");
        assertEquals(0, r.code());
        JsonNode json = JsonMapper.builder().build().readTree(r.out());
        assertTrue(json.path("valid").booleanValue());
        assertEquals(0, json.path("diagnostics").size());
    }

    @Test
    void aLiteralPasswordInAWorldReadableFileIsRefusedButNeverPrinted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("state.yaml"),
                "version: 1\nclient: { password_files: [{ path: /p, password: { value: hunter2 } }] }\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = run("", Map.of(), "validate", file.toString());
        assertEquals(1, r.code());
        assertFalse((r.out() + r.err()).contains("hunter2"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, run("", Map.of(), "validate", file.toString()).code());
    }

    @Test
    void usageErrorsExit64() {
        assertEquals(64, run("", Map.of(), "validate").code());
        assertEquals(64, run("", Map.of(), "validate", "--yaml", "x").code());
        assertEquals(64, run("", Map.of(), "validate", "-", "-").code());
    }

    @Test
    void everyExampleValidates() throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("validate"));
        try (var files = Files.list(Path.of("../examples"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> args.add(p.toString()));
        }
        Run r = run("", Map.of("RSYNC_BACKUP_PASSWORD", "x", "AGENT_MIRROR_PASSWORD", "x", "AGENT_DEMO_PASSWORD", "x"),
                args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
    }
}
