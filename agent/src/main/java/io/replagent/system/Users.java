package io.replagent.system;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * System accounts. Not re-rooted: users live in the host's name service whatever {@code --root} says.
 * Lookup goes through {@code getent}, so NSS sources (LDAP, sssd) count as well as /etc/passwd. Names follow
 * {@code --}: a name can never be read as an option.
 */
public final class Users {

    /** A passwd entry. */
    public record User(String name, long uid, long gid, String home, String shell) {}

    /** The shell and home a daemon account gets: it never logs in and owns no files outside the modules. */
    public static final String NO_LOGIN_SHELL = "/usr/sbin/nologin";
    public static final String NO_HOME = "/nonexistent";

    private final Processes processes;

    public Users(Processes processes) {
        this.processes = processes;
    }

    public Optional<User> lookup(String name) throws IOException {
        Processes.Result r = processes.run(List.of("getent", "passwd", "--", name));
        if (r.exit() == 2) return Optional.empty();
        if (!r.ok()) throw new IOException("getent passwd " + name + ": " + r.firstLine());
        return Optional.of(parse(r.out().strip()));
    }

    /** Creates a system user with its own group, no login shell and no home directory. */
    public void createSystemUser(String name) throws IOException {
        Processes.Result r = processes.run(List.of("useradd", "--system", "--user-group", "--no-create-home",
                "--home-dir", NO_HOME, "--shell", NO_LOGIN_SHELL, "--comment", "rsync daemon (agent)", "--", name));
        if (!r.ok()) throw new IOException("useradd " + name + ": " + r.firstLine());
    }

    static User parse(String passwdLine) throws IOException {
        String[] f = passwdLine.split(":", -1);
        if (f.length != 7) throw new IOException("unexpected passwd entry: " + passwdLine);
        try {
            return new User(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5], f[6]);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected passwd entry: " + passwdLine);
        }
    }
}
