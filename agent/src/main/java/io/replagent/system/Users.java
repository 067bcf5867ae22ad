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
    /**
     * The shell of an ssh account: sshd runs even a forced command through the login shell, so nologin would refuse
     * it ("This account is currently not available"); the forced command is what keeps the account from a shell.
     */
    public static final String SSH_ACCOUNT_SHELL = "/bin/sh";
    /** A password field that matches no password and is not "locked" ('!'): sshd without PAM refuses locked accounts. */
    public static final String NO_PASSWORD = "*";

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

    /**
     * Creates a system user for ssh key logins: its own group, {@link #SSH_ACCOUNT_SHELL}, the given home (not
     * created: the converger makes it with its mode), and no password that could ever match.
     */
    public void createSshAccount(String name, String home) throws IOException {
        Processes.Result r = processes.run(List.of("useradd", "--system", "--user-group", "--no-create-home",
                "--home-dir", home, "--shell", SSH_ACCOUNT_SHELL, "--password", NO_PASSWORD,
                "--comment", "ssh account for rsync (agent)", "--", name));
        if (!r.ok()) throw new IOException("useradd " + name + ": " + r.firstLine());
    }

    /** The password field of the shadow entry ({@code *}, {@code !...} when locked, a hash), empty when there is none. */
    public Optional<String> passwordField(String name) throws IOException {
        Processes.Result r = processes.run(List.of("getent", "shadow", "--", name));
        if (r.exit() == 2) return Optional.empty();
        if (!r.ok()) throw new IOException("getent shadow " + name + ": " + r.firstLine());
        String[] f = r.out().strip().split(":", -1);
        return f.length > 1 ? Optional.of(f[1]) : Optional.empty();
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
