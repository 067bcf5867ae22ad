package io.replagent.replicate;

import io.replagent.history.Layout;
import io.replagent.state.Target;
import io.replagent.state.Watch;

import java.util.List;
import java.util.Optional;

/**
 * How every rsync of one target reaches it, and the target's paths as its receiver takes them. Every argv starts with
 * {@link #head}: rsync and, for an ssh target, its one {@code -e} (rsync's default ssh would trust whatever ~/.ssh
 * says), so pushes, moves, the link phase, probes and audits all go through the same ssh; what authenticates and
 * bounds a run (the password file, the timeout) goes into the auxiliary pushes too.
 */
final class RsyncTransport {

    private final String rsync;
    private final Target.Endpoint endpoint;
    private final String source;
    private final String destination;
    /** {@code -e SSH} of an ssh target, else empty. */
    private final List<String> remoteShell;
    private final Optional<String> timeout;
    private final Optional<String> passwordFile;

    /**
     * @param remoteShell rsync's {@code -e} of an ssh target ({@link SshCommand#rsyncShell}); an ssh target has one
     */
    RsyncTransport(String rsync, Watch watch, Target target, String remoteShell) {
        this.rsync = rsync;
        this.endpoint = target.endpoint();
        String root = watch.source().toAbsolutePath().normalize().toString();
        this.source = root.endsWith("/") ? root : root + "/";
        this.destination = endpoint.rsyncDestination();
        if (ssh() && remoteShell == null) throw new IllegalArgumentException("an ssh target needs its ssh command");
        this.remoteShell = ssh() ? List.of("-e", remoteShell) : List.of();
        java.time.Duration t = watch.rsync().timeout();
        this.timeout = t.isZero() ? Optional.empty() : Optional.of("--timeout=" + Math.max(1, t.toSeconds()));
        this.passwordFile = target.passwordFile().map(p -> "--password-file=" + p);
    }

    /** rsync and, over ssh, its {@code -e}: how every argv of the target starts. */
    List<String> head() {
        List<String> head = new java.util.ArrayList<>(List.of(rsync));
        head.addAll(remoteShell);
        return head;
    }

    /** {@code --timeout} of the watch's rsync options, when it has one. */
    Optional<String> timeout() {
        return timeout;
    }

    /** {@code --password-file} of a daemon target that has one. */
    Optional<String> passwordFile() {
        return passwordFile;
    }

    /** What reaches and bounds the target, for the pushes into .agent/: the timeout, the password file. */
    List<String> access() {
        return java.util.stream.Stream.concat(timeout.stream(), passwordFile.stream()).toList();
    }

    /** The watch's root, ending in '/'. */
    String source() {
        return source;
    }

    /** The target's root as rsync addresses it, ending in '/'. */
    String destination() {
        return destination;
    }

    Target.Endpoint endpoint() {
        return endpoint;
    }

    boolean ssh() {
        return endpoint instanceof Target.Ssh;
    }

    boolean local() {
        return endpoint instanceof Target.Local;
    }

    /**
     * A path under the target's {@code .agent/}, absolute as the receiver takes a temp or basis dir: a daemon takes
     * one as relative to its module (a relative one is resolved against the destination directory, and a daemon
     * strips its "..": it could not serve a push into a subdirectory; and rsync 3.2.7's daemon finds no basis through
     * ".."); over ssh the path is the remote one, which rrsync reads inside the account's directory (and refuses
     * "..", too).
     */
    String reserved(String below) {
        return Layout.reserved(endpoint, below);
    }

    /** The target's root as the receiver takes a basis dir: a daemon's module-absolute path, else the path on its side. */
    String root() {
        if (endpoint instanceof Target.Daemon d) return "/" + d.path();
        return remoteRoot();
    }

    /**
     * The basis of a push into directory {@code to} (below the root) from the target's copy of {@code from}: relative
     * to the destination; over ssh absolute on its side, as rrsync refuses ".." and reads "/" as its root.
     */
    String basis(String from, String to) {
        return ssh() ? remoteRoot() + from : "../".repeat(to.split("/").length) + from;
    }

    /** The target's root as an absolute path on its side, ending in '/' (not for a daemon: its paths are the module's). */
    private String remoteRoot() {
        String root = endpoint instanceof Target.Ssh s ? s.path() : ((Target.Local) endpoint).path().toString();
        return root.endsWith("/") ? root : root + "/";
    }
}
