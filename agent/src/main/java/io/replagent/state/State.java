package io.replagent.state;

import java.util.List;
import java.util.Optional;

/**
 * The desired state of one host, as loaded from a state file and validated.
 * A host may be a backup server, a replication source, or both.
 */
public record State(
        int version,
        Settings settings,
        Optional<Server> server,
        Optional<Client> client,
        List<Watch> watches) {

    public State {
        watches = List.copyOf(watches);
    }
}
