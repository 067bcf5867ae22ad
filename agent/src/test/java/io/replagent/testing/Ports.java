package io.replagent.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for the daemons tests start. */
public final class Ports {

    private Ports() {}

    /** A port free on 127.0.0.1 right now (the kernel's pick, so parallel tests do not collide). */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
