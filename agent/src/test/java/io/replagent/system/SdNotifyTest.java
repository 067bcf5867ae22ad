package io.replagent.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.testing.NotifySocket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify's datagrams, received on a socket the test binds the way systemd does. */
class SdNotifyTest {

    @Test
    void messagesArriveOneDatagramEachOnAPathSocket(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("notify");
        try (NotifySocket manager = new NotifySocket(path.toString());
             SdNotify notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", path.toString())).orElseThrow()) {
            notify.send("READY=1\nSTATUS=watching 2 trees");
            notify.send("WATCHDOG=1");
            assertEquals(Optional.of("READY=1\nSTATUS=watching 2 trees"), manager.receive(5000));
            assertEquals(Optional.of("WATCHDOG=1"), manager.receive(5000));
            assertEquals(Optional.empty(), manager.receive(50));
        }
    }

    @Test
    void anAbstractNameStartsWithAnAt() throws Exception {
        String name = "@agent-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifySocket manager = new NotifySocket(name); SdNotify notify = SdNotify.open(name)) {
            notify.send("STOPPING=1");
            assertEquals(Optional.of("STOPPING=1"), manager.receive(5000));
        }
    }

    @Test
    void withoutNotifySocketThereIsNothingToNotify() throws Exception {
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(Map.of()));
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "")));
    }

    @Test
    void aSocketThatIsGoneIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("gone");
        try (SdNotify notify = SdNotify.open(path.toString())) {
            IOException e = assertThrows(IOException.class, () -> notify.send("READY=1"));
            assertTrue(e.getMessage().startsWith("NOTIFY_SOCKET " + path + ": sendto failed: errno "), e.getMessage());
        }
        assertTrue(Files.notExists(path));
    }

    @Test
    void addressesAreCheckedBeforeAnythingIsSent() throws Exception {
        assertEquals("NOTIFY_SOCKET run/notify: neither an absolute path nor an abstract name (@…)",
                assertThrows(IOException.class, () -> SdNotify.address("run/notify")).getMessage());
        assertThrows(IOException.class, () -> SdNotify.address("/" + "x".repeat(107)));
        byte[] abstractName = SdNotify.address("@a");
        assertEquals(4, abstractName.length, "family, NUL, name: no trailing NUL");
        assertArrayEquals(new byte[] {0, 'a'}, java.util.Arrays.copyOfRange(abstractName, 2, 4));
        byte[] path = SdNotify.address("/a");
        assertArrayEquals(new byte[] {'/', 'a', 0}, java.util.Arrays.copyOfRange(path, 2, 5));
    }
}
