package io.cloudsentinel.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.spec.KeySpec;

import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that wraps every data key: PBKDF2-HMAC-SHA256 over ENCRYPTION_KEY and KDF_SALT, derived once at start-up
 * (the JDK's implementation; it is deliberately slow, so never per call and never on the event loop).
 */
public final class KeyEncryptionKey {

    private final SecretKey key;
    private final int iterations;

    private KeyEncryptionKey(SecretKey key, int iterations) {
        this.key = key;
        this.iterations = iterations;
    }

    public static KeyEncryptionKey derive(String masterKey, byte[] salt, int iterations) {
        char[] password = masterKey.toCharArray();
        try {
            KeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new KeyEncryptionKey(new SecretKeySpec(derived, "AES"), iterations);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    SecretKey key() {
        return key;
    }

    public int iterations() {
        return iterations;
    }

    /** Associated data of a wrapped data key: binds it to its version. */
    static byte[] wrapContext(int version) {
        return ("cs-kek-v1\n" + version).getBytes(StandardCharsets.UTF_8);
    }
}
