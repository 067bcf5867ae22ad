package io.replagent.state;

import java.nio.file.Path;
import java.util.List;

/**
 * The source host: password files rsync clients read (root-owned, mode 0600, one line), and the ssh key pairs ssh
 * targets log in with.
 */
public record Client(List<PasswordFile> passwordFiles, List<SshKey> sshKeys) {

    public Client {
        passwordFiles = List.copyOf(passwordFiles);
        sshKeys = List.copyOf(sshKeys);
    }

    public Client(List<PasswordFile> passwordFiles) {
        this(passwordFiles, List.of());
    }

    public record PasswordFile(Path path, Secret password) {}

    /**
     * An ed25519 key pair: the private key at {@code path} (0600), the public one beside it ({@code path.pub}, 0644).
     *
     * @param generate create the pair with ssh-keygen when the private key is missing (never when it is present)
     * @param comment  the public key's comment; empty: ssh-keygen's {@code USER@HOSTNAME}
     */
    public record SshKey(Path path, boolean generate, String comment) {}
}
