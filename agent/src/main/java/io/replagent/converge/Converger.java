package io.replagent.converge;

import io.replagent.state.Client;
import io.replagent.state.Diagnostic;
import io.replagent.state.InotifyLimits;
import io.replagent.state.Secret;
import io.replagent.state.Secrets;
import io.replagent.state.Server;
import io.replagent.state.SshFiles;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Host;
import io.replagent.watch.Watchers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Makes a host match a state: the resources of both roles in dependency order (rsync ▶ user ▶ directories ▶ secrets
 * ▶ rsyncd.conf ▶ daemon ▶ ssh accounts ▶ password files ▶ ssh keys ▶ the ssh targets' key files ▶ kernel limits),
 * planned without side effects and applied one by one.
 */
public final class Converger {

    static final String ROOT = "root";
    static final int DEFAULT_MODULE_MODE = 0755;

    private final List<Resource> resources;
    private final List<Diagnostic> problems;

    Converger(List<Resource> resources, List<Diagnostic> problems) {
        this.resources = List.copyOf(resources);
        this.problems = List.copyOf(problems);
    }

    public static Converger of(State state, Host host) {
        List<Resource> resources = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        Ownership ownership = new Ownership(state.settings().stateDir(), state.settings().adopt(), host.files());
        if (state.server().isPresent() || state.client().isPresent() || !state.watches().isEmpty())
            resources.add(new RsyncBinary(host.processes(), "rsync"));
        state.server().ifPresent(server -> addServer(state, server, host, ownership, resources, problems));
        state.client().ifPresent(client -> addClient(client, host, ownership, resources, problems));
        addSshTargets(state, host, resources);
        if (!state.watches().isEmpty()) addLimits(state, host, ownership, resources);
        return new Converger(resources, problems);
    }

    private static void addServer(State state, Server server, Host host, Ownership ownership, List<Resource> resources,
                                  List<Diagnostic> problems) {
        if (!server.modules().isEmpty() || server.sshAccounts().isEmpty()) addDaemon(state, server, host, ownership, resources, problems);
        for (Server.SshAccount a : server.sshAccounts()) {
            resources.add(new SshAccountUser(a.user(), a.home(), host.users()));
            resources.add(new Directory(a.home(), 0700, a.user(), host.files()));
            resources.add(new Directory(a.home().resolve(".ssh"), 0700, a.user(), host.files()));
            resources.add(new AuthorizedKeys(a, AuthorizedKeys.searchPath(host.env()), host.files(), ownership));
            resources.add(new Directory(a.path(), a.mode(), a.user(), host.files()));
        }
    }

    /** The rsync daemon's part: a server of ssh accounts only runs no daemon. */
    private static void addDaemon(State state, Server server, Host host, Ownership ownership, List<Resource> resources,
                                  List<Diagnostic> problems) {
        resources.add(new SystemUser(server.runAs(), host.users()));
        for (Server.Module m : server.modules())
            resources.add(new Directory(m.path(), m.mode() == 0 ? DEFAULT_MODULE_MODE : m.mode(), m.uid().orElse(server.runAs()), host.files()));
        if (!server.users().isEmpty()) {
            StringBuilder lines = new StringBuilder();
            for (Server.User u : server.users())
                resolve(u.password(), host.env(), "server.users." + u.name() + ".password", problems)
                        .ifPresent(password -> lines.append(u.name()).append(':').append(password).append('\n'));
            resources.add(new ManagedFile("secrets", server.secretsFile(), bytes(lines.toString()), 0600, ROOT, true, host.files(), ownership));
        }
        RsyncdConf.problems(server).forEach(p -> problems.add(error(server.configFile().toString(), p)));
        String config = RsyncdConf.render(server, pushParallelism(state.watches()));
        resources.add(new ManagedFile("rsyncd_conf", server.configFile(), bytes(config), 0644, ROOT, false, host.files(), ownership));
        switch (server.daemon().manage()) {
            case PROCESS -> resources.add(new RsyncDaemon(server, state.settings().stateDir(), host.files(), host.processes()));
            case SYSTEMD -> {
                Path unit = SystemdService.UNIT_DIR.resolve(SystemdService.unitName(server));
                resources.add(new ManagedFile("systemd_unit", unit, bytes(SystemdService.unitFile(server)), 0644, ROOT, false, host.files(), ownership));
                resources.add(new SystemdService(server, host.processes(), "systemctl"));
            }
            case NONE -> { }
        }
    }

    private static void addClient(Client client, Host host, Ownership ownership, List<Resource> resources, List<Diagnostic> problems) {
        for (Client.PasswordFile f : client.passwordFiles())
            resolve(f.password(), host.env(), "client.password_files." + f.path(), problems).ifPresent(password ->
                    resources.add(new ManagedFile("password", f.path(), bytes(password + "\n"), 0600, ROOT, true, host.files(), ownership)));
        for (Client.SshKey k : client.sshKeys()) resources.add(new SshKey(k, SshFiles.agentUser(), host.files(), host.processes()));
    }

    /** The key files ssh targets read that the state does not manage: checked, never changed. */
    private static void addSshTargets(State state, Host host, List<Resource> resources) {
        List<Path> managed = state.client().map(c -> c.sshKeys().stream().map(Client.SshKey::path).toList()).orElse(List.of());
        Set<Path> identities = new LinkedHashSet<>();
        Set<Path> knownHosts = new LinkedHashSet<>();
        for (Watch w : state.watches())
            for (Target t : w.targets())
                if (t.endpoint() instanceof Target.Ssh ssh) {
                    ssh.access().identityFile().filter(p -> !managed.contains(p)).ifPresent(identities::add);
                    ssh.access().knownHosts().ifPresent(knownHosts::add);
                }
        String user = SshFiles.agentUser();
        identities.forEach(p -> resources.add(new SshFileCheck(SshFileCheck.Kind.IDENTITY, p, user, host.files())));
        knownHosts.forEach(p -> resources.add(new SshFileCheck(SshFileCheck.Kind.KNOWN_HOSTS, p, user, host.files())));
    }

    private static void addLimits(State state, Host host, Ownership ownership, List<Resource> resources) {
        InotifyLimits limits = state.settings().inotify();
        // a watch on fanotify needs no inotify watch nor instance
        List<Path> sources = state.watches().stream().map(Watch::source)
                .filter(source -> Watchers.needsInotify(source, state.settings().watchBackend())).toList();
        int watches = sources.size();
        List<KernelLimit> kernel = List.of(
                new KernelLimit("fs.inotify.max_user_watches", limits.maxUserWatches(), KernelLimit.directoriesOf(sources),
                        limits.ensure(), host.sysctl()),
                new KernelLimit("fs.inotify.max_user_instances", limits.maxUserInstances(), KernelLimit.Need.of(watches,
                        watches + " watches, one inotify instance each"), limits.ensure(), host.sysctl()),
                new KernelLimit("fs.inotify.max_queued_events", limits.maxQueuedEvents(), KernelLimit.Need.NONE, limits.ensure(), host.sysctl()));
        resources.addAll(kernel);
        if (limits.ensure() == InotifyLimits.Ensure.RAISE && limits.sysctlFile() != null)
            resources.add(new SysctlDropIn(limits.sysctlFile(), kernel, host.files(), ownership));
    }

    /** How many rsyncs the local watches run at once against daemons: the daemon's connection cap must allow them. */
    static int pushParallelism(List<Watch> watches) {
        int sum = 0;
        for (Watch w : watches)
            for (Target t : w.targets())
                if (t.endpoint() instanceof Target.Daemon) sum += w.maxProcesses();
        return sum;
    }

    private static Optional<String> resolve(Secret secret, Map<String, String> env, String where, List<Diagnostic> problems) {
        try {
            return Optional.of(Secrets.resolve(secret, env));
        } catch (IOException e) {
            problems.add(error(where, e.getMessage())); // the message names the source, never the value
            return Optional.empty();
        }
    }

    private static Diagnostic error(String where, String summary) {
        return new Diagnostic(Diagnostic.Severity.ERROR, where, 0, 0, 0, 0, summary, null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads every resource; a resource that cannot be read becomes an error diagnostic, the others are still planned. */
    public Plan plan() {
        List<Change> changes = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>(problems);
        Map<String, String> outputs = new java.util.HashMap<>();
        for (Resource r : resources) {
            try {
                changes.addAll(r.plan());
                for (String w : r.warnings())
                    diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, r.address(), 0, 0, 0, 0, w, null));
                outputs.putAll(r.outputs());
            } catch (IOException e) {
                diagnostics.add(error(r.address(), "cannot read: " + describe(e)));
            }
        }
        return new Plan(changes, diagnostics, outputs);
    }

    /** What an apply did: the resources changed, the one that failed (with why) and those not reached. */
    public record Outcome(List<String> done, Optional<String> failed, String error, List<String> notDone) {
        public boolean ok() { return failed.isEmpty(); }
    }

    /**
     * Applies a plan resource by resource. Each resource is read again first: if the host no longer matches what was
     * planned, apply stops there rather than act on a stale plan; after applying, it must read back as converged.
     *
     * @throws IllegalStateException when the plan has errors or blocked changes (callers check first)
     */
    public Outcome apply(Plan plan, Consumer<String> progress) {
        if (plan.hasErrors() || plan.blocked()) throw new IllegalStateException("a plan with errors or blocked changes cannot be applied");
        Map<String, List<Change>> planned = plan.byResource();
        List<String> done = new ArrayList<>();
        List<Resource> pending = resources.stream().filter(r -> planned.containsKey(r.address())).toList();
        for (int i = 0; i < pending.size(); i++) {
            Resource r = pending.get(i);
            progress.accept(r.address() + ": applying");
            String error = applyOne(r, planned.get(r.address()));
            if (error != null) {
                List<String> notDone = pending.subList(i + 1, pending.size()).stream().map(Resource::address).toList();
                return new Outcome(done, Optional.of(r.address()), error, notDone);
            }
            done.add(r.address());
            progress.accept(r.address() + ": done");
        }
        return new Outcome(done, Optional.empty(), null, List.of());
    }

    private static String applyOne(Resource r, List<Change> planned) {
        try {
            if (!r.plan().equals(planned)) return "changed since the plan was made; run plan again";
            r.apply();
            List<Change> left = r.plan();
            if (!left.isEmpty()) return "still differs after apply: " + left.get(0).attribute() + " (" + left.get(0).reason().text + ")";
            return null;
        } catch (IOException e) {
            return describe(e);
        }
    }

    /** NIO's file exceptions carry only the path as their message: say what happened to it. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory: " + e.getMessage();
        if (e instanceof AccessDeniedException) return "permission denied: " + e.getMessage();
        if (e instanceof FileAlreadyExistsException) return "already exists: " + e.getMessage();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
