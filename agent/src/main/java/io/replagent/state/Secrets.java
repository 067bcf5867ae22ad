package io.replagent.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/** Reads the value behind a {@link Secret}. The value goes to files and child environments, never to output. */
public final class Secrets {

    private Secrets() {}

    /** @throws IOException naming the source (never the value) when it cannot be read or is empty */
    public static String resolve(Secret secret, Map<String, String> env) throws IOException {
        String value;
        if (secret instanceof Secret.Env e) value = env.get(e.name());
        else if (secret instanceof Secret.FromFile f) value = firstLine(Files.readAllBytes(f.path()));
        else value = ((Secret.Literal) secret).value();
        if (value == null) throw new IOException("secret " + secret + " is not set");
        if (value.isEmpty()) throw new IOException("secret " + secret + " is empty");
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0)
            throw new IOException("secret " + secret + " contains a line break or NUL");
        return value;
    }

    private static String firstLine(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).stripTrailing();
    }
}
