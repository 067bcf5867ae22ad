package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshFilesTest {

    static final Path KEY = Path.of("/etc/agent/id_ed25519");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        private and ours    | true  | 0600 | root  | ''
        read-only and ours  | true  | 0400 | root  | ''
        group can read      | true  | 0640 | root  | identity file /etc/agent/id_ed25519 is mode 0640: others can read the private key (ssh refuses it too): chmod 600 /etc/agent/id_ed25519
        everyone can read   | true  | 0644 | root  | identity file /etc/agent/id_ed25519 is mode 0644: others can read the private key (ssh refuses it too): chmod 600 /etc/agent/id_ed25519
        someone else's      | true  | 0600 | alice | identity file /etc/agent/id_ed25519 is owned by alice, not by root (the agent's user): chown root /etc/agent/id_ed25519
        a directory         | false | 0700 | root  | identity file /etc/agent/id_ed25519 is not a regular file
        """)
    void anIdentityFileIsTheAgentsAlone(String what, boolean regular, String mode, String owner, String problem) {
        assertEquals(problem.isEmpty() ? Optional.empty() : Optional.of(problem),
                SshFiles.identityProblem(KEY, regular, Integer.parseInt(mode, 8), owner, "root"), what);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        root's, readable by all  | 0644 | root  | ''
        the agent's              | 0600 | agent | ''
        group-writable           | 0664 | root  | known_hosts /k is mode 0664: others could add keys the agent would trust: chmod go-w /k
        someone else's           | 0644 | alice | known_hosts /k is owned by alice: it must be root's or agent's
        """)
    void aKnownHostsFileIsWrittenOnlyByTheAgentOrRoot(String what, String mode, String owner, String problem) {
        assertEquals(problem.isEmpty() ? Optional.empty() : Optional.of(problem),
                SshFiles.knownHostsProblem(Path.of("/k"), true, Integer.parseInt(mode, 8), owner, "agent"), what);
    }

    @ParameterizedTest
    @CsvSource({"/etc/agent/${HOME}/id", "/x${y"})
    void dollarBraceCannotBeEscapedForSsh(String path) {
        assertTrue(SshFiles.expandable(path));
    }

    @ParameterizedTest
    @CsvSource({"/etc/agent/%h/id", "/x$y", "/a {b}", "/'quoted' \"too\""})
    void everythingElseCan(String path) {
        assertFalse(SshFiles.expandable(path));
    }
}
