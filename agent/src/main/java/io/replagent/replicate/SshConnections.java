package io.replagent.replicate;

import io.replagent.state.Target;
import io.replagent.system.Processes;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ssh targets' shared connections: one per account reached the same way ({@link SshCommand#id}: the same key,
 * pins and options), so targets that share it share the handshake, and a reload's new pipelines keep it.
 */
final class SshConnections {

    private final Path stateDir;
    private final Map<String, SshConnection> byId = new ConcurrentHashMap<>();

    /** @param stateDir where each connection's ssh config, known_hosts and control socket live */
    SshConnections(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** An ssh target's connection, its config and known_hosts written when it is new; null for the other targets. */
    synchronized SshConnection of(Target target) throws IOException {
        if (!(target.endpoint() instanceof Target.Ssh ssh)) return null;
        SshConnection known = byId.get(SshCommand.id(ssh));
        if (known != null) return known;
        SshCommand command = new SshCommand(ssh, stateDir);
        command.writeFiles();
        SshConnection connection = new SshConnection(command, new Processes(), Clock.systemUTC());
        byId.put(SshCommand.id(ssh), connection);
        return connection;
    }
}
