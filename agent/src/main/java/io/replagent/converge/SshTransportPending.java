package io.replagent.converge;

import java.util.List;

/**
 * Until replication pushes through the ssh transport (the second half of issue #13), an ssh target blocks apply, so
 * no push ever runs with rsync's default ssh (unpinned host keys, the user's own config).
 */
final class SshTransportPending implements Resource {

    private final String target;

    SshTransportPending(String target) {
        this.target = target;
    }

    @Override public String address() { return "transport[" + target + "]"; }

    @Override public List<Change> plan() {
        return List.of(Change.of(address(), Action.BLOCKED, Reason.UNAVAILABLE, "ssh transport", "not in this build", "ssh")
                .withDetail(List.of("replication over ssh is not wired yet: use an rsync:// target for now")));
    }

    @Override public void apply() throws java.io.IOException {
        throw new java.io.IOException("replication over ssh is not wired yet");
    }
}
