package io.replagent.converge;

import io.replagent.state.SshFiles;
import io.replagent.system.HostFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A key file an ssh target reads and the agent does not manage: the operator's identity file (not one of
 * client.ssh_keys) or known_hosts. Never changed; plan blocks while it is missing or unsafe ({@link SshFiles}), so
 * apply never starts a transport that ssh would refuse or that trusts what others wrote.
 */
final class SshFileCheck implements Resource {

    enum Kind { IDENTITY, KNOWN_HOSTS }

    private final Kind kind;
    private final Path path;
    private final String agentUser;
    private final HostFiles files;

    SshFileCheck(Kind kind, Path path, String agentUser, HostFiles files) {
        this.kind = kind;
        this.path = path;
        this.agentUser = agentUser;
        this.files = files;
    }

    @Override public String address() {
        return (kind == Kind.IDENTITY ? "ssh_identity[" : "ssh_known_hosts[") + path + "]";
    }

    @Override public List<Change> plan() throws IOException {
        Optional<HostFiles.Stat> stat = files.stat(path);
        if (stat.isEmpty()) {
            return List.of(Change.of(address(), Action.BLOCKED, Reason.MISSING, "file", null, kind == Kind.IDENTITY
                    ? "a private key, 0600, owned by " + agentUser + " (or list it in client.ssh_keys to generate it)"
                    : "a known_hosts file"));
        }
        HostFiles.Stat s = stat.get();
        Optional<String> problem = kind == Kind.IDENTITY
                ? SshFiles.identityProblem(path, s.regularFile(), s.mode(), s.owner(), agentUser)
                : SshFiles.knownHostsProblem(path, s.regularFile(), s.mode(), s.owner(), agentUser);
        return problem.map(p -> List.of(Change.of(address(), Action.BLOCKED, Reason.SECURITY, "file", null, null)
                .withDetail(List.of(p)))).orElse(List.of());
    }

    @Override public void apply() throws IOException {
        throw new IOException(plan().stream().findFirst().map(c -> c.detail().isEmpty() ? c.after() : c.detail().get(0))
                .orElse(path + " is not safe to use"));
    }
}
