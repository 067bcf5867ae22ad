package io.replagent.system;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@Tag("e2e")
class UsersTest {

    private final Processes processes = new Processes();
    private final Users users = new Users(processes);

    @Test void parsesPasswdEntries() throws IOException {
        assertEquals(new Users.User("rsync", 999, 998, "/nonexistent", "/usr/sbin/nologin"),
                Users.parse("rsync:x:999:998:rsync daemon:/nonexistent:/usr/sbin/nologin"));
        assertThrows(IOException.class, () -> Users.parse("broken:x:1"));
        assertThrows(IOException.class, () -> Users.parse("a:x:one:2:g:/h:/s"));
    }

    @Test void looksUpAndCreatesSystemUsers() throws IOException {
        assertEquals(0, users.lookup("root").orElseThrow().uid());
        String name = "agu" + Long.toHexString(ThreadLocalRandom.current().nextLong(0x10000000L, 0xFFFFFFFFL));
        assertEquals(Optional.empty(), users.lookup(name));
        try {
            users.createSystemUser(name);
            Users.User user = users.lookup(name).orElseThrow();
            assertEquals(Users.NO_LOGIN_SHELL, user.shell());
            assertEquals(true, user.uid() < 1000, "a system uid");
            assertThrows(IOException.class, () -> users.createSystemUser(name));
        } finally {
            processes.run(List.of("userdel", name));
        }
    }
}
