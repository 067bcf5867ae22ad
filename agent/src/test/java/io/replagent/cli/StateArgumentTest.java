package io.replagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.replagent.state.InvalidStateException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateArgumentTest {

    static final String STATE = "version: 1\nwatches: [{ name: w, source: /w, targets: [{ url: /t }] }]\n";

    static Io io(InputStream in) {
        return new Io(in, new PrintStream(PrintStream.nullOutputStream()), new PrintStream(PrintStream.nullOutputStream()),
                Map.of(), false);
    }

    @Test
    void aPathIsReadFromDisk(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.yaml"), STATE);
        assertEquals("w", StateArgument.load(file.toString(), io(InputStream.nullInputStream())).state().watches().get(0).name());
    }

    @Test
    void aDashReadsStdin() throws Exception {
        InputStream in = new ByteArrayInputStream(STATE.getBytes(StandardCharsets.UTF_8));
        assertEquals("w", StateArgument.load("-", io(in)).state().watches().get(0).name());
    }

    @Test
    void aFailingStdinIsADiagnostic() {
        InputStream broken = new InputStream() {
            @Override public int read() throws IOException { throw new IOException("stream closed"); }
        };
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> StateArgument.load("-", io(broken)));
        assertEquals(List.of("-: cannot read: stream closed"), e.diagnostics().stream().map(Object::toString).toList());
    }
}
