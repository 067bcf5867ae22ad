package io.replagent.replicate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * rsync's stdout with {@code --info=progress2}: each progress line (ended by '\r', or '\n' for the last) goes to the
 * sink as figures and is not kept; every other line (--stats, messages) is passed on as it came. A full sync of a big
 * tree writes a progress line per file: they must not pile up in memory. A line longer than {@link #MAX_LINE} is
 * passed on in pieces.
 */
final class ProgressStream extends OutputStream {

    static final int MAX_LINE = 4096;

    private final OutputStream rest;
    private final Consumer<RsyncProgress> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    ProgressStream(OutputStream rest, Consumer<RsyncProgress> sink) {
        this.rest = rest;
        this.sink = sink;
    }

    @Override public void write(int b) throws IOException {
        line.write(b);
        if (b == '\r' || b == '\n') end();
        else if (line.size() >= MAX_LINE) passOn();
    }

    @Override public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    private void end() throws IOException {
        byte[] bytes = line.toByteArray();
        String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
        var figures = RsyncProgress.parse(text);
        if (figures.isPresent()) {
            line.reset();
            sink.accept(figures.get());
        } else if (text.isBlank() && bytes[bytes.length - 1] == '\r') {
            line.reset(); // the '\r' before the first update
        } else {
            passOn();
        }
    }

    private void passOn() throws IOException {
        line.writeTo(rest);
        line.reset();
    }

    @Override public void flush() throws IOException {
        rest.flush();
    }

    /** What is left of an unfinished line is passed on. */
    @Override public void close() throws IOException {
        if (line.size() > 0) passOn();
        rest.close();
    }
}
