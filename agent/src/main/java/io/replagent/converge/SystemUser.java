package io.replagent.converge;

import io.replagent.system.Users;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's account ({@code run_as}): created when missing, never modified or deleted. An existing account
 * with a login shell or a home is reported as a warning and left alone: it may belong to someone else.
 */
final class SystemUser implements Resource {

    private final String name;
    private final Users users;

    SystemUser(String name, Users users) {
        this.name = name;
        this.users = users;
    }

    @Override public String address() { return "user[" + name + "]"; }

    @Override public List<Change> plan() throws IOException {
        return users.lookup(name).isPresent() ? List.of()
                : List.of(Change.of(address(), Action.CREATE, Reason.MISSING, "user", null,
                        "system user, shell " + Users.NO_LOGIN_SHELL + ", no home"));
    }

    /** An existing account that differs from what the agent would have created is reported, not changed. */
    @Override public List<String> warnings() throws IOException {
        Optional<Users.User> user = users.lookup(name);
        if (user.isEmpty() || user.get().uid() == 0) return List.of(); // root is chosen deliberately, never ours to create
        boolean noLogin = user.get().shell().endsWith("/nologin") || user.get().shell().endsWith("/false");
        if (noLogin) return List.of();
        return List.of("user " + name + " exists with login shell " + user.get().shell()
                + " and home " + user.get().home() + "; the agent leaves existing accounts as they are");
    }

    @Override public void apply() throws IOException {
        users.createSystemUser(name);
    }
}
