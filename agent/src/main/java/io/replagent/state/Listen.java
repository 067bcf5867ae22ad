package io.replagent.state;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a listener binds: {@code HOST:PORT}, {@code [IPV6]:PORT}, or a bare {@code PORT}, which binds loopback
 * (an address reachable from elsewhere is used only when the state writes it). HOST is an IP literal or localhost:
 * a name that resolves differently tomorrow would move the listener.
 */
public record Listen(String host, int port) {

    public static final String LOOPBACK = "127.0.0.1";
    private static final Pattern FORM = Pattern.compile("(?:(\\[[0-9A-Fa-f:.]+]|[0-9.]+|localhost):)?([0-9]{1,5})");

    /** @throws IllegalArgumentException with a message for the state's reader */
    public static Listen parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT or PORT (e.g. 127.0.0.1:9877, [::1]:9877, 9877)");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        String host = m.group(1) == null ? LOOPBACK : m.group(1);
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        if (!host.equals("localhost") && !isLiteral(host)) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address (write it as digits, or localhost)");
        }
        return new Listen(host, port);
    }

    /** Whether the address is reachable from other hosts (anything but loopback). */
    public boolean external() {
        try {
            return !InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true;
        }
    }

    @Override public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static boolean isLiteral(String host) {
        if (host.contains(":")) {
            try {
                InetAddress.getByName(host); // an IPv6 literal never asks a resolver
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }
}
