package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshChecksTest {

    static final String KEY = PublicKeyTest.ED25519;
    /** A target with everything an ssh target needs; the rows below take something away or add something wrong. */
    static final String TARGET = "{url: \"ssh://backup@h/data\", identity_file: /nonexistent/id, host_key: \"" + KEY + "\"}";

    static List<String> problems(String yaml) throws InvalidStateException {
        return SemanticCheckTest.semanticProblems(yaml, false);
    }

    /**
     * {@code "WHERE @ message"} as {@code "1:COL: message"}, COL being where WHERE starts in the one-line document
     * (its last occurrence: the node at fault comes after its parents).
     */
    static String at(String yaml, String expected) {
        int sep = expected.indexOf(" @ ");
        return "1:" + (yaml.lastIndexOf(expected.substring(0, sep)) + 1) + ": " + expected.substring(sep + 3);
    }

    static String watch(String target) {
        return "{version: 1, watches: [{name: w, source: /a, targets: [" + target + "]}]}";
    }

    @Test void aCompleteSshTargetPasses() throws Exception {
        assertEquals(List.of(), problems(watch(TARGET)));
        assertEquals(List.of(), problems(watch("{url: \"ssh://backup@h:2222/\", identity_file: /nonexistent/id, "
                + "known_hosts: /nonexistent/known_hosts}")));
    }

    /** Each check, failing then passing, on one-line flow documents (the column is the position). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        host key pinned; {url: "ssh://backup@h/data", identity_file: /k}                          ; {url: "ssh @ ssh target ssh://backup@h/data pins no host key: give host_key (the backup host's /etc/ssh/ssh_host_ed25519_key.pub) or known_hosts (the agent never trusts a key on first use) ; {url: "ssh://backup@h/data", identity_file: /k, known_hosts: /kh}
        identity named; {url: "ssh://backup@h/data", known_hosts: /kh}                            ; {url: "ssh @ ssh target ssh://backup@h/data needs identity_file (client.ssh_keys can generate one) ; {url: "ssh://backup@h/data", known_hosts: /kh, identity_file: /k}
        no password; {url: "ssh://backup@h/data", known_hosts: /kh, identity_file: /k, password: {env: PW}} ; {url: "ssh @ an ssh target logs in with identity_file: password and password_file are for rsync:// targets ; {url: "ssh://backup@h/data", known_hosts: /kh, identity_file: /k}
        host key parses; {url: "ssh://backup@h/data", identity_file: /k, host_key: "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIHh6/DwLNt68jb146NCdJp777q5v3o38q/iy4ma4fzOA"} ; "ssh-rsa @ the key's data is not a ssh-rsa key: copy the whole line of the .pub file ; {url: "ssh://backup@h/data", identity_file: /k, host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh6/DwLNt68jb146NCdJp777q5v3o38q/iy4ma4fzOA"}
        host keys parse; {url: "ssh://backup@h/data", identity_file: /k, host_key: ["ssh-dss AAAAB3NzaC1kc3M="]} ; "ssh-dss @ ssh-dss keys are disabled in OpenSSH: use an ed25519 key ; {url: "ssh://backup@h/data", identity_file: /k, host_key: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh6/DwLNt68jb146NCdJp777q5v3o38q/iy4ma4fzOA"]}
        no dollar brace; {url: "ssh://backup@h/data", known_hosts: /kh, identity_file: "/k/${HOME}"} ; "/k/${HOME}" @ ssh would expand '${' in this path: rename the file ; {url: "ssh://backup@h/data", known_hosts: /kh, identity_file: "/k/$HOME"}
        ssh keys on ssh only; {url: "rsync://h/m", identity_file: /k}                                   ; identity_file @ identity_file is for ssh:// targets ; {url: "rsync://h/m"}
        ssh options on ssh only; {url: /x, ssh_options: {Compression: true}}                                ; ssh_options @ ssh_options is for ssh:// targets ; {url: /x}
        """)
    void eachTargetCheckFailsAndPasses(String check, String failing, String expected, String passing) throws Exception {
        assertEquals(List.of(at(watch(failing), expected)), problems(watch(failing)), "failing case of: " + check);
        assertEquals(List.of(), problems(watch(passing)), "passing case of: " + check);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        accounts unique; {version: 1, server: {ssh_accounts: [{user: b, path: /d, authorized_keys: ["KEY"]}, {user: b, path: /e, authorized_keys: ["KEY"]}]}} ; b, path: /e @ ssh account 'b' is listed twice ; {version: 1, server: {ssh_accounts: [{user: b, path: /d, authorized_keys: ["KEY"]}, {user: c, path: /e, authorized_keys: ["KEY"]}]}}
        not the daemon's user; {version: 1, server: {run_as: rsync, modules: [{name: m, path: /m}], ssh_accounts: [{user: rsync, path: /d, authorized_keys: ["KEY"]}]}} ; rsync, path: /d @ 'rsync' is the rsync daemon's run_as account (no shell, no home): give the ssh account a user of its own ; {version: 1, server: {run_as: rsync, modules: [{name: m, path: /m}], ssh_accounts: [{user: backup, path: /d, authorized_keys: ["KEY"]}]}}
        not the root; {version: 1, server: {ssh_accounts: [{user: b, path: //, authorized_keys: ["KEY"]}]}} ; // @ an ssh account must not reach '/' ; {version: 1, server: {ssh_accounts: [{user: b, path: /data, authorized_keys: ["KEY"]}]}}
        path plain; {version: 1, server: {ssh_accounts: [{user: b, path: /data/.., authorized_keys: ["KEY"]}]}} ; /data/.. @ a path must not contain '..' (it is resolved after symlinks): write the path it means ; {version: 1, server: {ssh_accounts: [{user: b, path: /data/x, authorized_keys: ["KEY"]}]}}
        read and write only; {version: 1, server: {ssh_accounts: [{user: b, path: /d, authorized_keys: ["KEY"], read_only: true, write_only: true}]}} ; true} @ read_only and write_only together leave the account unusable ; {version: 1, server: {ssh_accounts: [{user: b, path: /d, authorized_keys: ["KEY"], read_only: true}]}}
        authorized key parses; {version: 1, server: {ssh_accounts: [{user: b, path: /d, authorized_keys: ["KEY", "ssh-ed25519 AAAA"]}]}} ; "ssh-ed25519 AAAA" @ the key's data is not a ssh-ed25519 key: copy the whole line of the .pub file ; {version: 1, server: {ssh_accounts: [{user: b, path: /d, authorized_keys: ["KEY"]}]}}
        authorized key once; {version: 1, server: {ssh_accounts: [{user: b, path: /d, authorized_keys: ["KEY", "KEY other comment"]}]}} ; "KEY other @ this key is listed twice ; {version: 1, server: {ssh_accounts: [{user: b, path: /d, authorized_keys: ["KEY"]}]}}
        """)
    void eachAccountAndKeyCheckFailsAndPasses(String check, String failing, String expected, String passing) throws Exception {
        String yaml = failing.replace("KEY", KEY);
        assertEquals(List.of(at(yaml, expected.replace("KEY", KEY))), problems(yaml), "failing case of: " + check);
        assertEquals(List.of(), problems(passing.replace("KEY", KEY)), "passing case of: " + check);
    }

    @Test void aStateDirTooLongForTheControlSocketIsRefused() throws Exception {
        String dir = "/var/lib/" + "x".repeat(SshChecks.MAX_STATE_DIR_BYTES - 8);
        String yaml = "{version: 1, settings: {state_dir: " + dir + "}, watches: [{name: w, source: /a, targets: [" + TARGET + "]}]}";
        assertEquals(List.of(at(yaml, "{url: @ state_dir is longer than " + SshChecks.MAX_STATE_DIR_BYTES
                + " bytes: the ssh control socket under it would not fit a Unix socket path")), problems(yaml));
        assertEquals(List.of(), problems(yaml.replace(dir, dir.substring(1))), "one byte shorter");
    }

    @Test void aProxyJumpNeedsAStateDirAShellLeavesAlone() throws Exception {
        String target = TARGET.replace("}", ", ssh_options: {ProxyJump: jump}}");
        String yaml = "{version: 1, settings: {state_dir: \"/var/lib/my agent\"}, watches: [{name: w, source: /a, targets: [" + target + "]}]}";
        assertEquals(List.of(at(yaml, "jump} @ ssh runs the jump through a shell, with the agent's ssh config under state_dir: "
                + "state_dir may hold only letters, digits and / . _ + -")), problems(yaml));
        assertEquals(List.of(), problems(yaml.replace("my agent", "my-agent")));
    }

    /** A file with exactly these permissions (the umask does not apply). */
    static Path file(Path path, String permissions) throws java.io.IOException {
        Files.createFile(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        return path;
    }
}
