package io.replagent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's CLI section and the man page come from the commands' definitions, so they cannot drift from --help. */
class ReferenceTest {

    static final Path README = Path.of("../README.md");

    @Test
    void theReadmesCliSectionIsTheOneTheHelpGenerates() throws Exception {
        String readme = Files.readString(README);
        String generated = Reference.readme(Reference.tree());
        assertEquals(readme, Reference.rewrite(readme, generated),
                "README.md's CLI section differs from the commands' --help: run `make readme`");
        for (String name : Main.COMMANDS.keySet()) assertTrue(generated.contains("| `agent " + name + " "), name);
        assertTrue(generated.contains("| 64 | command-line usage error |"), generated);
        assertTrue(generated.contains("`agent plan [-h] [--detailed-exitcode] [--json] [--root=DIR] FILE\\|-`"), generated);
    }

    @Test
    void rewritingNeedsBothMarkers() {
        assertThrows(IllegalArgumentException.class, () -> Reference.rewrite("# no markers\n", "x"));
        assertEquals("a\n" + Reference.README_BEGIN + "new" + Reference.README_END + "\nb",
                Reference.rewrite("a\n" + Reference.README_BEGIN + "old" + Reference.README_END + "\nb",
                        Reference.README_BEGIN + "new" + Reference.README_END));
    }

    @Test
    void theManPageFormatsWithoutWarningsAndDescribesEveryCommandAndOption(@TempDir Path dir) throws Exception {
        Path page = Files.writeString(dir.resolve("agent.1"), Reference.man(Reference.tree()));
        Result check = groff(List.of("groff", "-man", "-Tascii", "-ww", "-z", page.toString()));
        assertEquals(new Result(0, ""), check, "groff warnings");
        String text = groff(List.of("groff", "-man", "-Tascii", "-P-cbou", page.toString())).out;
        assertTrue(text.contains("AGENT(1)"), text);
        for (var entry : Reference.tree().getSubcommands().entrySet()) {
            if (entry.getKey().equals("help")) continue;
            assertTrue(text.contains("agent " + entry.getKey() + " [-h]"), entry.getKey() + " synopsis in\n" + text);
            entry.getValue().getCommandSpec().options().forEach(o -> assertTrue(text.contains(o.longestName()),
                    entry.getKey() + " " + o.longestName() + " in\n" + text));
        }
        assertTrue(text.contains("EXIT STATUS") && text.contains("command-line usage error"), text);
        assertTrue(text.contains("AGENT_SOCKET"), text);
    }

    @Test
    void roffTextIsEscaped() {
        assertEquals("\\-\\-root DIR", Reference.text("--root DIR"));
        assertEquals("a\\eb", Reference.text("a\\b"));
        assertEquals("\\&.hidden\n\\&'quoted", Reference.text(".hidden\n'quoted"));
    }

    record Result(int exit, String out) {}

    static Result groff(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
