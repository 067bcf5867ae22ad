package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RsyncdConfTest {

    private static final Server SERVER = Fixtures.server(Path.of("/"), "rsync", 873, Server.Daemon.Manage.PROCESS);

    private static Server with(int maxConnections, boolean useChroot, Map<String, String> extra, List<Server.Module> modules) {
        Server s = SERVER;
        return new Server(s.configFile(), s.secretsFile(), s.pidFile(), s.lockFile(), s.logFile(), s.port(), s.address(), s.runAs(),
                useChroot, maxConnections, s.timeout(), s.users(), modules, s.daemon(), extra);
    }

    private static Server.Module module(List<Server.AuthUser> auth, List<String> exclude, Map<String, String> extra) {
        Server.Module m = SERVER.modules().get(0);
        return new Server.Module(m.name(), m.path(), null, 0750, m.readOnly(), false, false, auth, List.of(), List.of(), 4,
                Duration.ofSeconds(60), Optional.empty(), Optional.empty(), Optional.empty(), List.of("delete", "checksum"), true,
                true, Optional.of("Dg+s,ug+w"), exclude, true, extra);
    }

    @Test void rendersGlobalsThenOneSectionPerModule() {
        assertEquals("""
                # Managed by agent from its state file. Edits here are overwritten: `agent plan` shows them as drift.
                port = 873
                address = 127.0.0.1
                pid file = /run/rsyncd.pid
                lock file = /run/rsync.lock
                log file = /var/log/rsyncd.log
                uid = rsync
                gid = *
                use chroot = yes
                timeout = 300

                [data]
                    path = /data
                    comment = backups of data
                    read only = no
                    write only = no
                    list = yes
                    auth users = rsync_backup
                    secrets file = /etc/rsync.password
                    hosts allow = 127.0.0.1
                    hosts deny = *
                    ignore errors = no
                    fake super = no
                    transfer logging = no

                [ro]
                    path = /ro
                    comment = backups of ro
                    read only = yes
                    write only = no
                    list = yes
                    auth users = rsync_backup
                    secrets file = /etc/rsync.password
                    ignore errors = no
                    fake super = no
                    transfer logging = no
                """, RsyncdConf.render(SERVER, 8));
    }

    @Test void everyModuleOptionAndAccessSuffixes() {
        Server s = with(0, true, Map.of(), List.of(module(List.of(new Server.AuthUser("a", Server.AuthUser.Access.RO),
                new Server.AuthUser("b", Server.AuthUser.Access.RW)), List.of(".*", "*.swp"), Map.of("dont compress", "*.gz"))));
        String module = RsyncdConf.render(s, 0).split("\\[data]\n")[1];
        assertEquals("""
                    path = /data
                    read only = no
                    write only = no
                    list = no
                    auth users = a:ro, b:rw
                    secrets file = /etc/rsync.password
                    max connections = 4
                    timeout = 60
                    refuse options = delete checksum
                    ignore errors = yes
                    fake super = yes
                    incoming chmod = Dg+s,ug+w
                    exclude = .* *.swp
                    transfer logging = yes
                    dont compress = *.gz
                """, module);
    }

    @Test void aConnectionCapIsRaisedToThePushParallelismAndUnlimitedStaysUnlimited() {
        assertTrue(RsyncdConf.render(with(2, true, Map.of(), SERVER.modules()), 8).contains("\nmax connections = 8\n"));
        assertTrue(RsyncdConf.render(with(20, true, Map.of(), SERVER.modules()), 8).contains("\nmax connections = 20\n"));
        assertFalse(RsyncdConf.render(with(0, true, Map.of(), SERVER.modules()), 8).contains("max connections"));
    }

    @Test void withoutChrootTheSymlinkMungingIsExplainedUnlessTheStateChoosesIt() {
        String munged = RsyncdConf.render(with(0, false, Map.of(), SERVER.modules()), 0);
        assertTrue(munged.contains("use chroot = no\n") && munged.contains("# use chroot = no: rsync munges symlinks"), munged);
        String chosen = RsyncdConf.render(with(0, false, Map.of("munge symlinks", "no"), SERVER.modules()), 0);
        assertFalse(chosen.contains("# use chroot = no"));
        assertTrue(chosen.contains("\nmunge symlinks = no\n"));
    }

    @Test void extraParametersAreSortedSoTheSameStateGivesTheSameBytes() {
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        extra.put("syslog facility", "daemon");
        extra.put("motd file", "/etc/motd");
        String text = RsyncdConf.render(with(0, true, extra, SERVER.modules()), 0);
        assertTrue(text.indexOf("motd file = /etc/motd") < text.indexOf("syslog facility = daemon"));
    }

    @Test void valuesThatWouldBreakTheFileAreProblems() {
        Server s = with(0, true, Map.of(), List.of(module(List.of(), List.of("my file"), Map.of())));
        assertEquals(List.of("module data: exclude pattern 'my file' contains whitespace, which rsyncd.conf splits on"), RsyncdConf.problems(s));
        assertEquals(List.of(), RsyncdConf.problems(SERVER));
    }
}
