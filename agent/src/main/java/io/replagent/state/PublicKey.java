package io.replagent.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * An OpenSSH public key line, {@code TYPE BASE64 [comment]}: a pinned host key, an authorized key, a generated key's
 * public half. Parsing checks what ssh would: a type it accepts, and a blob that decodes and names the same type.
 */
public record PublicKey(String type, String base64, String comment) {

    /** What OpenSSH 8.x/9.x accepts for host and user keys (ssh-dss is disabled there). */
    static final List<String> TYPES = List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

    /** @throws IllegalArgumentException saying what is wrong with the line */
    public static PublicKey parse(String line) {
        String[] parts = line.strip().split("[ \t]+", 3);
        if (parts.length < 2) throw new IllegalArgumentException("not a public key: expected TYPE BASE64 [comment]");
        String type = parts[0];
        if (type.equals("ssh-dss")) throw new IllegalArgumentException("ssh-dss keys are disabled in OpenSSH: use an ed25519 key");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown key type '" + type + "'" + Hints.didYouMean(type, TYPES)
                    + " (options such as command= are the agent's to set)");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + type + " key is not valid base64");
        }
        if (!type.equals(embeddedType(blob))) {
            throw new IllegalArgumentException("the key's data is not a " + type + " key: copy the whole line of the .pub file");
        }
        return new PublicKey(type, parts[1], parts.length == 3 ? parts[2].strip() : "");
    }

    /** The type string an ssh key blob starts with (uint32 length, bytes), or null. */
    private static String embeddedType(byte[] blob) {
        if (blob.length < 4) return null;
        int length = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (length <= 0 || length > blob.length - 4) return null;
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    /** The key as a known_hosts or authorized_keys entry takes it, without comment. */
    public String key() {
        return type + " " + base64;
    }

    /** {@code SHA256:...}, as ssh and ssh-keygen -l print it. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
