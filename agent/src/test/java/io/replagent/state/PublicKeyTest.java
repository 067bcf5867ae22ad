package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicKeyTest {

    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh6/DwLNt68jb146NCdJp777q5v3o38q/iy4ma4fzOA";
    /** ssh-keygen -lf of the key above. */
    static final String ED25519_FINGERPRINT = "SHA256:256EwX4ZsAchr5tvzcqFTHwANO+ncazWOHSqg6GWJkA";
    static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBqP+3HZD3ggCH77+YUuk6eP"
            + "9SkGDukJ7OqHKRyWR+ue7wgk12mZlnaC08XZiOSkXY8q9aju9Gq13AmQld4TjgE=";

    @Test void aKeyLineSplitsIntoTypeDataAndComment() {
        PublicKey key = PublicKey.parse(ED25519 + " root@rsync-41 (host key)");
        assertEquals("ssh-ed25519", key.type());
        assertEquals("root@rsync-41 (host key)", key.comment());
        assertEquals(ED25519, key.key());
        assertEquals(ED25519_FINGERPRINT, key.fingerprint());
        assertEquals("", PublicKey.parse("  " + ECDSA + "\t").comment());
        assertEquals("ecdsa-sha2-nistp256", PublicKey.parse(ECDSA).type());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        only a type            | ssh-ed25519                                                 | not a public key: expected TYPE BASE64 [comment]
        options in front       | restrict,command="sh" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh6 | unknown key type 'restrict,command="sh"' (options such as command= are the agent's to set)
        misspelt type          | ssh-ed2551 AAAAC3NzaC1lZDI1NTE5AAAAIHh6/DwLNt68jb146NCdJp777q5v3o38q/iy4ma4fzOA | unknown key type 'ssh-ed2551', did you mean 'ssh-ed25519'? (options such as command= are the agent's to set)
        dsa                    | ssh-dss AAAAB3NzaC1kc3M=                                    | ssh-dss keys are disabled in OpenSSH: use an ed25519 key
        not base64             | ssh-ed25519 AAAA*AAA                                        | the ssh-ed25519 key is not valid base64
        type and data disagree | ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIHh6/DwLNt68jb146NCdJp777q5v3o38q/iy4ma4fzOA | the key's data is not a ssh-rsa key: copy the whole line of the .pub file
        truncated data         | ssh-ed25519 AAAA                                            | the key's data is not a ssh-ed25519 key: copy the whole line of the .pub file
        """)
    void refusesWhatSshWouldNotRead(String what, String line, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> PublicKey.parse(line)).getMessage(), what);
    }
}
