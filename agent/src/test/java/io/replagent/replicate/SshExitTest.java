package io.replagent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The messages are what OpenSSH 9.2, rsync 3.5 and rrsync printed for each failure on this machine. */
class SshExitTest {

    static final String CLOSED = "\nrsync: connection unexpectedly closed (0 bytes received so far) [sender]\n"
            + "rsync error: unexplained error (code 255) at io.c(285) [sender=3.5.0]";
    static final String PROTOCOL = "\nrsync: connection unexpectedly closed (0 bytes received so far) [sender]\n"
            + "rsync error: error in rsync protocol data stream (code 12) at io.c(285) [sender=3.5.0]";

    static final String CHANGED = """
            @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
            @    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
            @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
            IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
            Someone could be eavesdropping on you right now (man-in-the-middle attack)!
            It is also possible that a host key has just been changed.
            The fingerprint for the ED25519 key sent by the remote host is
            SHA256:256EwX4ZsAchr5tvzcqFTHwANO+ncazWOHSqg6GWJkA.
            Please contact your system administrator.
            Add correct host key in /var/lib/agent/ssh/x.known_hosts to get rid of this message.
            Offending ED25519 key in /var/lib/agent/ssh/x.known_hosts:2
            Host key for [127.0.0.1]:22022 has changed and you have requested strict checking.
            Host key verification failed.""";

    static final String UNPROTECTED = """
            @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
            @         WARNING: UNPROTECTED PRIVATE KEY FILE!          @
            @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
            Permissions 0644 for '/etc/agent/id' are too open.
            It is required that your private key files are NOT accessible by others.
            This private key will be ignored.
            Load key "/etc/agent/id": bad permissions
            backup@127.0.0.1: Permission denied (publickey).""";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        changed host key     | 255 | CHANGED                                                                                      | HOST_KEY_CHANGED  | true
        unknown host key     | 12  | No ED25519 host key is known for [127.0.0.1]:22022 and you have requested strict checking.\\nHost key verification failed. | HOST_KEY_UNKNOWN | true
        wrong identity       | 255 | backup@127.0.0.1: Permission denied (publickey).                                              | AUTH_REFUSED      | true
        unprotected key      | 255 | UNPROTECTED                                                                                  | IDENTITY_UNUSABLE | true
        read-only account    | 12  | /usr/bin/rrsync error: sending to read-only server is not allowed                             | COMMAND_REFUSED   | true
        option refused       | 12  | /usr/bin/rrsync error: option --copy-devices has been disabled on this server.                | COMMAND_REFUSED   | true
        nologin shell        | 12  | This account is currently not available.                                                     | COMMAND_REFUSED   | true
        bad ssh option       | 255 | command-line line 0: Bad SSH2 cipher spec 'nonsense'.                                        | CONFIG_REFUSED    | true
        bad config file      | 255 | cfg: line 1: Bad configuration option: bogus\\ncfg: terminating, 1 bad configuration options | CONFIG_REFUSED    | true
        refused              | 255 | ssh: connect to host 127.0.0.1 port 22023: Connection refused                                 | UNREACHABLE       | false
        timed out            | 255 | Connection timed out during banner exchange\\nConnection to 10.255.255.1 port 22 timed out    | UNREACHABLE       | false
        reset                | 255 | Connection reset by 127.0.0.1 port 22022                                                      | UNREACHABLE       | false
        keep-alive timeout   | 255 | Timeout, server 127.0.0.1 not responding.                                                    | UNREACHABLE       | false
        server going away    | 255 | kex_exchange_identification: read: Connection reset by peer                                  | UNREACHABLE       | false
        no name              | 255 | ssh: Could not resolve hostname rsync-41: Name or service not known                           | UNRESOLVED        | false
        anything else        | 255 | something ssh never said before                                                              | UNKNOWN           | false
        """)
    void eachFailureIsReadFromWhatSshSaid(String what, int exit, String message, SshExit expected, boolean permanent) {
        String stderr = message.replace("\\n", "\n").replace("CHANGED", CHANGED).replace("UNPROTECTED", UNPROTECTED)
                + (exit == 12 ? PROTOCOL : CLOSED);
        assertEquals(Optional.of(expected), SshExit.classify(exit, stderr), what);
        assertEquals(permanent, expected.permanent(), what);
    }

    @Test void rsyncsOwnOutcomesAndErrorsAreLeftToRsync() {
        assertEquals(Optional.empty(), SshExit.classify(0, "Connection reset by peer"));
        assertEquals(Optional.empty(), SshExit.classify(23, "rsync: [sender] send_files failed to open \"x\": Permission denied (13)"));
        assertEquals(Optional.empty(), SshExit.classify(24, null));
        assertEquals(Optional.empty(), SshExit.classify(1, "rsync: --bogus: unknown option"));
        assertEquals(Optional.empty(), SshExit.classify(11, "rsync: write failed on \"/data/x\": No space left on device (28)"));
    }

    @Test void theAlertNamesTheTargetTheCauseSshsWordsAndTheFix() {
        assertEquals("ssh: the host presents a different key than the one pinned (REMOTE HOST IDENTIFICATION HAS CHANGED) "
                + "[@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @]: if the backup host's key was rotated, pin its new key "
                + "(/etc/ssh/ssh_host_ed25519_key.pub there) in host_key and apply; otherwise the connection may be intercepted: nothing was sent",
                SshExit.HOST_KEY_CHANGED.alert(CHANGED + CLOSED));
        assertEquals("ssh: the account refused the key (Permission denied (publickey)) [backup@127.0.0.1: Permission denied (publickey).]: "
                + SshExit.AUTH_REFUSED.fix, SshExit.AUTH_REFUSED.alert("backup@127.0.0.1: Permission denied (publickey)." + CLOSED));
    }
}
