package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replagent.system.Processes;
import io.replagent.system.Users;
import java.util.List;
import org.junit.jupiter.api.Test;

@Tag("e2e")
class SystemUserTest {

    @Test void createdWhenMissingWithoutShellOrHome() throws Exception {
        try (Fixtures.TestUsers users = new Fixtures.TestUsers()) {
            String name = users.unique();
            Users system = new Users(new Processes());
            SystemUser user = new SystemUser(name, system);
            assertEquals(List.of(Change.of("user[" + name + "]", Action.CREATE, Reason.MISSING, "user", null,
                    "system user, shell /usr/sbin/nologin, no home")), user.plan());
            user.apply();
            assertEquals(List.of(), user.plan());
            assertEquals(List.of(), user.warnings());
            Users.User created = system.lookup(name).orElseThrow();
            assertEquals(Users.NO_LOGIN_SHELL, created.shell());
            assertEquals(Users.NO_HOME, created.home());
        }
    }

    @Test void anExistingAccountWithALoginIsReportedAndLeftAlone() throws Exception {
        try (Fixtures.TestUsers users = new Fixtures.TestUsers()) {
            String name = users.unique();
            new Processes().run(List.of("useradd", "--no-create-home", "--home-dir", "/home/" + name, "--shell", "/bin/sh", "--", name));
            SystemUser user = new SystemUser(name, new Users(new Processes()));
            assertEquals(List.of(), user.plan());
            assertEquals(List.of("user " + name + " exists with login shell /bin/sh and home /home/" + name
                    + "; the agent leaves existing accounts as they are"), user.warnings());
        }
        assertEquals(List.of(), new SystemUser("root", new Users(new Processes())).warnings(), "root is a deliberate choice");
    }
}
