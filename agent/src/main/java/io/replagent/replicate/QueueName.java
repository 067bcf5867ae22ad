package io.replagent.replicate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The queue file name of a (watch, target) pair, injective: each name is escaped (letters, digits, '_', '.' and '-'
 * as they are, every other byte as %XX) and the two are joined by '@', which escaping never produces. A name too
 * long for a file system keeps its readable start and ends with '~' and a hash of the whole ('~' is escaped too).
 */
final class QueueName {

    private static final int MAX = 200;

    private QueueName() {}

    static String of(String watch, String target) {
        String name = escape(watch) + "@" + escape(target);
        if (name.length() <= MAX) return name;
        return name.substring(0, MAX - 33) + "~" + sha256(watch + "\0" + target).substring(0, 32);
    }

    /** The name before this scheme ("--" joined, unsafe characters as '_'): read once on upgrade, never written. */
    static String legacy(String watch, String target) {
        return (watch + "--" + target).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String escape(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) out.append(c);
            else out.append('%').append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
