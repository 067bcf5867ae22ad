package io.replagent.converge;

import io.replagent.system.Users;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The system user of an ssh account: created when missing, with a shell (sshd runs the forced command through it),
 * the state's home and no password. An existing account is not modified; where it would keep the keys out or put
 * them elsewhere, the plan says so: a home elsewhere is blocking (sshd would never read the agent's authorized_keys),
 * a locked password or a shell that refuses commands is a warning with the fix.
 */
final class SshAccountUser implements Resource {

    private final String name;
    private final Path home;
    private final Users users;

    SshAccountUser(String name, Path home, Users users) {
        this.name = name;
        this.home = home;
        this.users = users;
    }

    @Override public String address() { return "user[" + name + "]"; }

    @Override public List<Change> plan() throws IOException {
        Optional<Users.User> user = users.lookup(name);
        if (user.isEmpty()) {
            return List.of(Change.of(address(), Action.CREATE, Reason.MISSING, "user", null,
                    "ssh account, shell " + Users.SSH_ACCOUNT_SHELL + ", home " + home + ", no password (key login only)"));
        }
        if (!Path.of(user.get().home()).equals(home)) {
            return List.of(Change.of(address(), Action.BLOCKED, Reason.UNAVAILABLE, "home", user.get().home(), home.toString())
                    .withDetail(List.of("sshd reads authorized_keys from the account's home: set home: " + user.get().home()
                            + " in the state, or usermod -d " + home + " " + name)));
        }
        return List.of();
    }

    @Override public List<String> warnings() throws IOException {
        Optional<Users.User> user = users.lookup(name);
        if (user.isEmpty()) return List.of();
        List<String> found = new ArrayList<>();
        String shell = user.get().shell();
        if (shell.endsWith("/nologin") || shell.endsWith("/false")) {
            found.add("user " + name + " has shell " + shell + ", which refuses the forced command: usermod -s "
                    + Users.SSH_ACCOUNT_SHELL + " " + name);
        }
        if (users.passwordField(name).filter(p -> p.startsWith("!")).isPresent()) {
            found.add("user " + name + " is locked ('!' password): sshd without PAM refuses its keys too: usermod -p '"
                    + Users.NO_PASSWORD + "' " + name);
        }
        return found;
    }

    @Override public void apply() throws IOException {
        users.createSshAccount(name, home.toString());
    }
}
