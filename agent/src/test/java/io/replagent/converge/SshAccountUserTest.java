package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replagent.system.Processes;
import io.replagent.system.Users;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real accounts (root: useradd, getent shadow); each test's users are deleted after it. */
@Tag("e2e")
class SshAccountUserTest {

    private final Users system = new Users(new Processes());

    @Test void createdWithAShellAHomeAndNoPassword() throws Exception {
        try (Fixtures.TestUsers users = new Fixtures.TestUsers()) {
            String name = users.unique();
            Path home = Path.of("/nonexistent/agent-test/" + name);
            SshAccountUser user = new SshAccountUser(name, home, system);
            assertEquals(List.of(Change.of("user[" + name + "]", Action.CREATE, Reason.MISSING, "user", null,
                    "ssh account, shell /bin/sh, home " + home + ", no password (key login only)")), user.plan());
            user.apply();
            assertEquals(List.of(), user.plan());
            assertEquals(List.of(), user.warnings());
            Users.User created = system.lookup(name).orElseThrow();
            assertEquals(Users.SSH_ACCOUNT_SHELL, created.shell());
            assertEquals(home.toString(), created.home());
            assertEquals(Optional.of("*"), system.passwordField(name), "matches no password, and is not locked");
        }
    }

    @Test void anExistingAccountThatKeepsTheKeysOutIsReportedAndLeftAlone() throws Exception {
        try (Fixtures.TestUsers users = new Fixtures.TestUsers()) {
            String name = users.unique();
            new Processes().run(List.of("useradd", "--no-create-home", "--home-dir", "/srv/" + name, "--shell", "/usr/sbin/nologin", "--", name));
            SshAccountUser elsewhere = new SshAccountUser(name, Path.of("/home/" + name), system);
            List<Change> plan = elsewhere.plan();
            assertEquals(Action.BLOCKED, plan.get(0).action());
            assertEquals("/srv/" + name, plan.get(0).before());
            SshAccountUser user = new SshAccountUser(name, Path.of("/srv/" + name), system);
            assertEquals(List.of(), user.plan());
            assertEquals(List.of("user " + name + " has shell /usr/sbin/nologin, which refuses the forced command: usermod -s /bin/sh " + name,
                    "user " + name + " is locked ('!' password): sshd without PAM refuses its keys too: usermod -p '*' " + name),
                    user.warnings());
            assertEquals("/usr/sbin/nologin", system.lookup(name).orElseThrow().shell(), "not modified");
        }
    }
}
