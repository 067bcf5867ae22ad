package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.system.Sysctl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Paths compared in one spelling, under --root, with symlinks resolved: each rule failing, then passing. */
class HostCheckTest {

    @TempDir Path root;
    @TempDir Path procSys;

    private List<String> problems(String yaml) {
        return problems(yaml, root);
    }

    private List<String> problems(String yaml, Path under) {
        try {
            return load(yaml, under).warnings().stream().map(StateFileTest::located).toList();
        } catch (InvalidStateException e) {
            return e.diagnostics().stream().map(StateFileTest::located).toList();
        }
    }

    private StateFile.Loaded load(String yaml, Path under) throws InvalidStateException {
        return StateFile.load("f", yaml.getBytes(StandardCharsets.UTF_8), Map.of("PW", "x"), false, under, new Sysctl(procSys));
    }

    /** On one-line flow documents (the column is the position), paths that exist nowhere: the lexical rules. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        module not root          ; {version: 1, server: {modules: [{name: m, path: /}]}}                        ; 1:49: a module must not serve '/' ; {version: 1, server: {modules: [{name: m, path: /srv}]}}
        module // is root        ; {version: 1, server: {modules: [{name: m, path: //}]}}                       ; 1:49: a module must not serve '/' (// is /) ; {version: 1, server: {modules: [{name: m, path: //srv//}]}}
        module /./ is root       ; {version: 1, server: {modules: [{name: m, path: /./}]}}                      ; 1:49: a module must not serve '/' (/./ is /) ; {version: 1, server: {modules: [{name: m, path: /./srv/.}]}}
        module path no ..        ; {version: 1, server: {modules: [{name: m, path: /srv/..}]}}                  ; 1:49: a path must not contain '..' (it is resolved after symlinks): write the path it means ; {version: 1, server: {modules: [{name: m, path: /srv/..x}]}}
        source not root          ; {version: 1, watches: [{name: w, source: //, targets: [{url: /x}]}]}          ; 1:42: a watch must not replicate '/' (// is /): the whole filesystem, /proc and /sys included, and the agent's own files: watch the directories that hold the data ; {version: 1, watches: [{name: w, source: /srv/, targets: [{url: /x}]}]}
        sources apart            ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}]}, {name: v, source: /a//b/, targets: [{url: /y}]}]} ; 1:87: source /a/b overlaps the source /a of watch 'w' ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}]}, {name: v, source: /ab, targets: [{url: /y}]}]}
        module inside source     ; {version: 1, server: {modules: [{name: m, path: /a/m}]}, watches: [{name: w, source: /a/, targets: [{url: /x}]}]} ; 1:86: warning: module 'm' lies inside this source: what it receives is sent again ; {version: 1, server: {modules: [{name: m, path: /m}]}, watches: [{name: w, source: /a, targets: [{url: /x}]}]}
        local target apart       ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /a/./copy}]}]}   ; 1:62: target /a/copy overlaps the source /a: replication would loop ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /a-copy}]}]}
        password files unique    ; {version: 1, client: {password_files: [{path: /p, password: {env: PW}}, {path: //p, password: {env: PW}}]}} ; 1:80: password file /p is also the password file (line 1): two resources cannot share a path ; {version: 1, client: {password_files: [{path: /p, password: {env: PW}}, {path: /q, password: {env: PW}}]}}
        config is not secrets    ; {version: 1, server: {config_file: /etc/r, secrets_file: /etc//r/}}          ; 1:58: server.secrets_file /etc/r is also the server.config_file (line 1): two resources cannot share a path ; {version: 1, server: {config_file: /etc/r, secrets_file: /etc/s}}
        pid file not by default  ; {version: 1, server: {log_file: /etc/rsyncd.conf}}                            ; 1:33: server.log_file /etc/rsyncd.conf is also the server.config_file (by default): two resources cannot share a path ; {version: 1, server: {log_file: /var/log/r.log}}
        file is not a module     ; {version: 1, server: {pid_file: /srv/m, modules: [{name: m, path: /srv/m}]}}   ; 1:33: server.pid_file /srv/m lies inside the directory /srv/m of module 'm', which rsync clients can read and write: move it out ; {version: 1, server: {pid_file: /run/m.pid, modules: [{name: m, path: /srv/m}]}}
        secrets not served       ; {version: 1, server: {secrets_file: /srv/m/s, modules: [{name: m, path: /srv/m}]}} ; 1:37: server.secrets_file /srv/m/s lies inside the directory /srv/m of module 'm', which rsync clients can read and write: move it out ; {version: 1, server: {secrets_file: /etc/s, modules: [{name: m, path: /srv/m}]}}
        state dir not in source  ; {version: 1, settings: {state_dir: /data/.agent-state}, watches: [{name: w, source: /data, targets: [{url: /x}]}]} ; 1:36: settings.state_dir /data/.agent-state lies inside the source /data of watch 'w': the agent's own files would be pushed in an endless loop and copied into the backup: move it out of the source ; {version: 1, settings: {state_dir: /var/lib/agent}, watches: [{name: w, source: /data, targets: [{url: /x}]}]}
        password not in source   ; {version: 1, client: {password_files: [{path: /data/p, password: {env: PW}}]}, watches: [{name: w, source: /data, targets: [{url: /x}]}]} ; 1:47: password file /data/p lies inside the source /data of watch 'w': the agent's own files would be pushed in an endless loop and copied into the backup: move it out of the source ; {version: 1, client: {password_files: [{path: /etc/p, password: {env: PW}}]}, watches: [{name: w, source: /data, targets: [{url: /x}]}]}
        adopt what is managed    ; {version: 1, settings: {adopt: [/etc//rsyncd.conf]}}                          ; 1:33: warning: settings.adopt lists /etc/rsyncd.conf, which is none of the files this state writes ; {version: 1, settings: {adopt: [/etc//rsyncd.conf]}, server: {}}
        systemd not under root   ; {version: 1, server: {daemon: {manage: systemd}}}                              ; 1:40: manage: systemd writes a unit to the host's /etc/systemd/system and starts it there, outside --root ROOT: use manage: process or none with --root ; {version: 1, server: {daemon: {manage: process}}}
        raise not under root     ; {version: 1, settings: {inotify: {ensure: raise}}}                            ; 1:43: ensure: raise writes the host's kernel parameters, outside --root ROOT: use ensure: check with --root ; {version: 1, settings: {inotify: {ensure: check}}}
        """)
    void eachRuleFailsAndPasses(String rule, String failing, String expected, String passing) {
        assertEquals(List.of(expected.replace("ROOT", root.toString())), problems(failing), "failing case of: " + rule);
        assertEquals(List.of(), problems(passing), "passing case of: " + rule);
    }

    @Test void aModuleThatIsASymlinkToTheRootIsTheRoot() throws IOException {
        Files.createDirectories(root.resolve("srv"));
        Files.createSymbolicLink(root.resolve("srv/all"), Path.of("/"));
        assertEquals(List.of("3:29: a module must not serve '/' (/srv/all resolves to /)"),
                problems("version: 1\nserver:\n  modules: [{name: m, path: /srv/all}]\n"));
    }

    /** Issue 11, item 6: a symlinked local target inside the source looped forever, a new nesting level a second. */
    @Test void aLocalTargetLinkedIntoTheSourceIsALoop() throws IOException {
        Files.createDirectories(root.resolve("srv/source"));
        Files.createSymbolicLink(root.resolve("srv/backup"), root.resolve("srv/source/copy")); // dangling: not made yet
        String yaml = "version: 1\nwatches:\n  - name: w\n    source: /srv/source\n    targets: [{url: /srv/backup}]\n";
        Files.writeString(root.resolve("srv/source/file"), "x");
        assertEquals(List.of("5:21: target /srv/backup (" + root.resolve("srv/source/copy") + ") overlaps the source "
                + "/srv/source: replication would loop"), problems(yaml));
    }

    /** /var/run is a link to /run: a pid file spelt either way is one file. */
    @Test void twoSpellingsThroughASymlinkAreOneFile() throws IOException {
        Files.createDirectories(root.resolve("run"));
        Files.createDirectories(root.resolve("var"));
        Files.createSymbolicLink(root.resolve("var/run"), Path.of("../run"));
        List<String> found = problems("version: 1\nserver:\n  pid_file: /var/run/x\n  lock_file: /run/x\n");
        assertEquals(List.of("4:14: server.lock_file /run/x is also the server.pid_file (line 3): two resources cannot share a path"), found);
    }

    @Test void theAgentsOwnFileInASymlinkedSourceIsFound() throws IOException {
        Files.createDirectories(root.resolve("data/state"));
        Files.createSymbolicLink(root.resolve("srv"), root.resolve("data"));
        List<String> found = problems("""
                version: 1
                settings: { state_dir: /data/state }
                watches: [{ name: w, source: /srv, targets: [{ url: /backup }] }]
                """);
        assertTrue(found.contains("2:24: settings.state_dir /data/state lies inside the source /srv (" + root.resolve("data")
                + ") of watch 'w': the agent's own files would be pushed in an endless loop and copied into the backup: "
                + "move it out of the source"), found.toString());
    }

    /** Issue 11, item 5 (the state side): a symlinked source is resolved once, watched as its target, and plan says so. */
    @Test void aSymlinkedSourceIsWatchedAsItsTarget() throws Exception {
        Files.createDirectories(root.resolve("data/real"));
        Files.writeString(root.resolve("data/real/file"), "x");
        Files.createSymbolicLink(root.resolve("data/link"), Path.of("real"));
        String yaml = "version: 1\nwatches: [{ name: w, source: /data/link, targets: [{ url: /backup }] }]\n";
        StateFile.Loaded loaded = load(yaml, root);
        assertEquals(root.resolve("data/real"), loaded.state().watches().get(0).source());
        assertEquals(List.of("2:30: warning: source /data/link resolves through a symlink to " + root.resolve("data/real")
                + ": the agent watches " + root.resolve("data/real") + " (resolved once at start; repointing the link takes a restart)"),
                loaded.warnings().stream().map(StateFileTest::located).toList());
    }

    @Test void aSourceThatHoldsTheReservedNameIsRefused() throws IOException {
        Files.createDirectories(root.resolve("data/.agent/tmp"));
        assertEquals(List.of("2:30: source /data holds .agent at its top: that name is reserved for the agent's own "
                + "directory on every target (rename it)"),
                problems("version: 1\nwatches: [{ name: w, source: /data, targets: [{ url: /backup }] }]\n"));
    }

    /** Issue 11, item 8: an empty source said "No changes" and nothing else. */
    @Test void anEmptySourceAndAFileAsSourceAreReported() throws IOException {
        Files.createDirectories(root.resolve("data"));
        String yaml = "version: 1\nwatches: [{ name: w, source: /data, targets: [{ url: /backup }] }]\n";
        assertEquals(List.of("2:30: warning: source /data is empty: nothing to replicate yet"), problems(yaml));
        Files.writeString(root.resolve("data/file"), "x");
        assertEquals(List.of(), problems(yaml));
        Files.delete(root.resolve("data/file"));
        Files.delete(root.resolve("data"));
        Files.writeString(root.resolve("data"), "not a directory");
        assertEquals(List.of("2:30: source /data is not a directory"), problems(yaml));
    }

    /** Issue 11, item 8: 1,000 watches over the 128 instances of the kernel said nothing until they failed. */
    @Test void moreWatchesThanInotifyInstancesIsReported() throws IOException {
        Files.createDirectories(procSys.resolve("fs/inotify"));
        Files.writeString(procSys.resolve("fs/inotify/max_user_instances"), "2\n");
        StringBuilder yaml = new StringBuilder("version: 1\nwatches:\n");
        for (int i = 0; i < 3; i++) yaml.append("  - { name: w").append(i).append(", source: /d").append(i).append(", targets: [{ url: /b").append(i).append(" }] }\n");
        assertEquals(List.of("3:3: warning: 3 watches need one inotify instance each, but fs.inotify.max_user_instances is 2 "
                + "(shared with every other program of the same user): raise it, or set settings.inotify.max_user_instances "
                + "with ensure: raise"), problems(yaml.toString(), Path.of("/")));
        Files.writeString(procSys.resolve("fs/inotify/max_user_instances"), "128\n");
        assertEquals(List.of(), problems(yaml.toString(), Path.of("/")));
    }
}
