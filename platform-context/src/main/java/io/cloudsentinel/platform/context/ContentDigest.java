package io.cloudsentinel.platform.context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 9530 {@code Content-Digest} with SHA-256, the one algorithm the suite writes and accepts:
 * {@code sha-256=:<base64>:}. Hand-written because it is one hash and one structured-field byte sequence; no library
 * of the field does only this.
 */
public final class ContentDigest {

    public static final String HEADER = "Content-Digest";
    private static final String PREFIX = "sha-256=:";

    private ContentDigest() {
    }

    public static String of(byte[] body) {
        return PREFIX + Base64.getEncoder().encodeToString(sha256().digest(body)) + ":";
    }

    /** A digest being computed over a body that arrives in parts. */
    public static MessageDigest start() {
        return sha256();
    }

    public static String of(MessageDigest finished) {
        return PREFIX + Base64.getEncoder().encodeToString(finished.digest()) + ":";
    }

    /** Whether the header value is exactly the suite's form for these bytes; compared in constant time. */
    public static boolean matches(String header, String computed) {
        return header != null && MessageDigest.isEqual(header.strip().getBytes(StandardCharsets.US_ASCII),
                computed.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether a header value is a well-formed SHA-256 digest in the suite's form (and nothing else). */
    public static boolean isSha256(String header) {
        if (header == null) {
            return false;
        }
        String value = header.strip();
        if (!value.startsWith(PREFIX) || !value.endsWith(":") || value.length() <= PREFIX.length() + 1) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(value.substring(PREFIX.length(), value.length() - 1)).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
