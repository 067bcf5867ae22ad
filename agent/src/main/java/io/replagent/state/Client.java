package io.replagent.state;

import java.nio.file.Path;
import java.util.List;

/** The source host: password files rsync clients read (root-owned, mode 0600, one line). */
public record Client(List<PasswordFile> passwordFiles) {

    public Client {
        passwordFiles = List.copyOf(passwordFiles);
    }

    public record PasswordFile(Path path, Secret password) {}
}
