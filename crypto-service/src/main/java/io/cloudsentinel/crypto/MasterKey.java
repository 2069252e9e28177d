package io.cloudsentinel.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A master secret (ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS) with its salt, and the id recorded beside every data key
 * wrapped under it: which master key a key version needs, said without revealing the key.
 */
public final class MasterKey {

    /**
     * The id is PBKDF2 at a fixed count, not a fast hash: testing a guessed master key against a stored id costs as much
     * as testing it against a wrapped data key at the minimum count, and the id does not change when kdf-iterations do.
     */
    static final int ID_ITERATIONS = KeyMaterialPolicy.MIN_ITERATIONS;
    private static final byte[] ID_LABEL = "\ncs-master-key-id-v1".getBytes(StandardCharsets.UTF_8);
    private static final int ID_BYTES = 8;

    private final String secret;
    private final byte[] salt;
    private final String id;

    private MasterKey(String secret, byte[] salt, String id) {
        this.secret = secret;
        this.salt = salt;
        this.id = id;
    }

    /** Derives the id: slow (one PBKDF2 run), so once per configured key at start-up. */
    public static MasterKey of(String secret, byte[] salt) {
        byte[] idSalt = Arrays.copyOf(salt, salt.length + ID_LABEL.length);
        System.arraycopy(ID_LABEL, 0, idSalt, salt.length, ID_LABEL.length);
        char[] password = secret.toCharArray();
        try {
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, idSalt, ID_ITERATIONS, 256)).getEncoded();
            return new MasterKey(secret, salt.clone(), HexFormat.of().formatHex(derived, 0, ID_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** 16 hex digits; safe to log and to show. */
    public String id() {
        return id;
    }

    /** The key-encryption key of this master key at that iteration count: slow, never on an event loop. */
    public KeyEncryptionKey kek(int iterations) {
        return KeyEncryptionKey.derive(secret, salt, iterations);
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]"; // never the secret or the salt
    }
}
