package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RerootTest {

    static final String STATE = """
            version: 1
            settings: { state_dir: /var/lib/a, control_socket: /run/a/a.sock }
            server:
              users: [{ name: u, password: { file: /etc/pw } }, { name: v, password: { env: PW } }]
              modules: [{ name: m, path: /srv/m, auth_users: [u, v] }]
            client:
              password_files: [{ path: /etc/rsync.passwd, password: { env: PW } }]
            watches:
              - name: w
                source: /srv/w
                targets:
                  - { url: /backup/w }
                  - { url: "rsync://u@h/m/x", password_file: /etc/rsync.passwd }
                  - { url: "rsync://v@h/m/y", password: { file: /etc/pw } }
            """;

    @Test
    void everyAbsolutePathMovesUnderTheRoot() throws Exception {
        State s = Reroot.apply(StateFileTest.valid(STATE), Path.of("/tmp/scratch"));
        Path r = Path.of("/tmp/scratch");
        assertEquals(r.resolve("var/lib/a"), s.settings().stateDir());
        assertEquals(r.resolve("var/lib/a/status.json"), s.settings().statusFile());
        assertEquals(r.resolve("run/a/a.sock"), s.settings().controlSocket());
        assertEquals(r.resolve("etc/sysctl.d/90-agent-inotify.conf"), s.settings().inotify().sysctlFile());
        Server server = s.server().orElseThrow();
        assertEquals(List.of(r.resolve("etc/rsyncd.conf"), r.resolve("etc/rsync.password"), r.resolve("run/rsyncd-agent.pid"),
                        r.resolve("var/run/rsync.lock"), r.resolve("var/log/rsyncd.log"), r.resolve("srv/m")),
                List.of(server.configFile(), server.secretsFile(), server.pidFile(), server.lockFile(), server.logFile(),
                        server.modules().get(0).path()));
        assertEquals(new Secret.FromFile(r.resolve("etc/pw")), server.users().get(0).password());
        assertEquals(new Secret.Env("PW"), server.users().get(1).password());
        assertEquals(r.resolve("etc/rsync.passwd"), s.client().orElseThrow().passwordFiles().get(0).path());
        Watch w = s.watches().get(0);
        assertEquals(r.resolve("srv/w"), w.source());
        assertEquals(new Target.Local(r.resolve("backup/w")), w.targets().get(0).endpoint());
        assertEquals(Optional.of(r.resolve("etc/rsync.passwd")), w.targets().get(1).passwordFile());
        assertEquals(new Target.Daemon("u", "h", 873, "m", "x"), w.targets().get(1).endpoint());
        assertEquals(Optional.of(new Secret.FromFile(r.resolve("etc/pw"))), w.targets().get(2).password());
    }

    @Test
    void everythingThatIsNotAPathStaysAsItWas() throws Exception {
        State original = StateFileTest.valid(STATE);
        State s = Reroot.apply(original, Path.of("/tmp/scratch"));
        Server a = original.server().orElseThrow();
        Server b = s.server().orElseThrow();
        assertEquals(a.runAs(), b.runAs());
        assertEquals(a.port(), b.port());
        assertEquals(a.modules().get(0).authUsers(), b.modules().get(0).authUsers());
        assertEquals(a.modules().get(0).name(), b.modules().get(0).name());
        Watch w = s.watches().get(0);
        assertEquals(original.watches().get(0).targets().get(0).name(), w.targets().get(0).name());
        assertEquals(original.watches().get(0).delay(), w.delay());
        assertEquals(original.settings().inotify().maxUserWatches(), s.settings().inotify().maxUserWatches());
    }

    @Test
    void theRootDirectoryLeavesTheStateUnchanged() throws Exception {
        State original = StateFileTest.valid(STATE);
        assertSame(original, Reroot.apply(original, Path.of("/")));
    }

    @Test
    void reRootingTwiceNests() throws Exception {
        State s = Reroot.apply(Reroot.apply(StateFileTest.valid(STATE), Path.of("/a")), Path.of("/b"));
        assertEquals(Path.of("/b/a/srv/w"), s.watches().get(0).source());
    }
}
