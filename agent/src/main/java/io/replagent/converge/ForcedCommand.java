package io.replagent.converge;

import io.replagent.state.Server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command an ssh account's keys are forced to (see {@link AuthorizedKeys}), for doctor, which runs it as sshd would. */
public final class ForcedCommand {

    private ForcedCommand() {}

    /** As words: rrsync's absolute path, its flags, the account's directory; empty when rrsync is not in env's PATH. */
    public static Optional<List<String>> of(Server.SshAccount account, Map<String, String> env) {
        return AuthorizedKeys.rrsync(AuthorizedKeys.searchPath(env)).map(rrsync -> {
            List<String> words = new ArrayList<>(List.of(rrsync.toString()));
            words.addAll(List.of(AuthorizedKeys.flags(account).strip().split(" ")));
            words.add(account.path().toString());
            return List.copyOf(words);
        });
    }
}
