package io.replagent.cli;

import io.replagent.converge.ForcedCommand;
import io.replagent.health.Health;
import io.replagent.state.Server;
import io.replagent.state.State;
import io.replagent.system.Processes;
import io.replagent.system.ShellWords;
import io.replagent.system.Trees;
import io.replagent.system.Users;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A backup host's ssh accounts as a client meets them, checked on the host: whether an sshd runs, and the accounts'
 * forced command (rrsync, as authorized_keys names it) run as sshd runs it for one of their keys, as the account's
 * user with {@code SSH_ORIGINAL_COMMAND} set: a dry-run rsync through it must work (a push of nothing, or a listing
 * for a read-only account), a shell through it must be refused. The key's authentication is sshd's: a client's
 * doctor checks it with its target's handshake. Accounts whose user does not exist yet are plan's (drift), and a
 * doctor that is not root cannot run as another user: neither is checked here.
 */
final class SshAccountChecks {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final Processes processes;
    private final Users users;
    private final Map<String, String> env;

    SshAccountChecks(Processes processes, Users users, Map<String, String> env) {
        this.processes = processes;
        this.users = users;
        this.env = env;
    }

    List<Health.SshAccount> check(State state) {
        List<Health.SshAccount> out = new ArrayList<>();
        List<Server.SshAccount> accounts = state.server().map(Server::sshAccounts).orElse(List.of());
        if (accounts.isEmpty() || !isRoot()) return out;
        boolean sshd = sshdRuns();
        for (Server.SshAccount a : accounts) {
            Optional<List<String>> command = ForcedCommand.of(a, env);
            if (command.isEmpty() || !exists(a.user())) continue; // plan shows the missing rrsync or user
            out.add(new Health.SshAccount(a.user(), sshd, rsyncError(a, command.get()), shellError(a, command.get())));
        }
        return out;
    }

    /** Empty when rrsync refused a shell command; else what ran. */
    private String shellError(Server.SshAccount a, List<String> command) {
        try {
            Processes.Result r = processes.run(asUser(a, command), Map.of("SSH_ORIGINAL_COMMAND", "sh -c id"), LIMIT);
            return r.ok() || r.out().contains("uid=") ? "'sh -c id' ran (exit " + r.exit() + "): " + r.firstLine() : "";
        } catch (IOException e) {
            return "";  // nothing ran: a shell was not given either; the rsync check says why
        }
    }

    /** Empty when a dry-run rsync through the forced command worked; else rsync's exit and error. */
    private String rsyncError(Server.SshAccount a, List<String> command) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("agent-doctor-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path empty = Files.createDirectory(scratch.resolve("empty"));
            Path shell = scratch.resolve("ssh");
            // what sshd does for a key with command=: the client's command in SSH_ORIGINAL_COMMAND, the forced one run
            StringBuilder script = new StringBuilder("#!/bin/sh\nshift\nSSH_ORIGINAL_COMMAND=\"$*\"\nexport SSH_ORIGINAL_COMMAND\ncd /\nexec");
            for (String word : asUser(a, command)) script.append(' ').append(ShellWords.quote(word));
            Files.writeString(shell, script.append('\n').toString(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(shell, PosixFilePermissions.fromString("rwx------"));
            List<String> argv = new ArrayList<>(List.of("rsync", "--dry-run", "-d", "--exclude=*", "--timeout=20", "-e", shell.toString()));
            if (a.readOnly()) argv.addAll(List.of("localhost:/", empty + "/"));
            else argv.addAll(List.of(empty + "/", "localhost:/"));
            Processes.Result r = processes.run(argv, Map.of(), LIMIT);
            return r.ok() ? "" : "rsync exit " + r.exit() + ": " + r.firstLine();
        } catch (IOException e) {
            return "could not run rsync: " + e.getMessage();
        } finally {
            if (scratch != null) delete(scratch);
        }
    }

    private List<String> asUser(Server.SshAccount a, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", a.user(), "--"));
        argv.addAll(command);
        return argv;
    }

    private boolean exists(String user) {
        try {
            return users.lookup(user).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** An sshd process on this host (the one the clients reach is the host's own; the agent does not manage it). */
    static boolean sshdRuns() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).anyMatch(p -> {
                try {
                    return Files.readString(p.resolve("comm")).strip().equals("sshd");
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path dir) {
        try {
            Trees.delete(dir);
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
