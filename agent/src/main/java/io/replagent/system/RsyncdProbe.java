package io.replagent.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Asks whether an rsync daemon answers at an address: connect, read the {@code @RSYNCD:} greeting, hang up. */
public final class RsyncdProbe {

    private RsyncdProbe() {}

    /** @return the greeting line (e.g. {@code @RSYNCD: 32.0 sha512 ...}) or empty when nothing rsync answers */
    public static Optional<String> greeting(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n' && line.length() < 200; c = in.read()) line.append((char) c);
            String text = line.toString();
            return text.startsWith("@RSYNCD:") ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The address a local client reaches a daemon on: the wildcard addresses mean loopback. */
    public static String connectAddress(String listenAddress) {
        if (listenAddress == null || listenAddress.isEmpty() || listenAddress.equals("0.0.0.0")) return "127.0.0.1";
        if (listenAddress.equals("::")) return "::1";
        return listenAddress;
    }
}
