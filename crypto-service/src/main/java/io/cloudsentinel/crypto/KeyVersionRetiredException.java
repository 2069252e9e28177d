package io.cloudsentinel.crypto;

/** The ciphertext's key version is below the minimum decryption version: rewrap data before raising it. */
public class KeyVersionRetiredException extends RuntimeException {

    public final int version;
    public final int minDecryptionVersion;

    public KeyVersionRetiredException(int version, int minDecryptionVersion) {
        super("key version " + version + " is below the minimum decryption version " + minDecryptionVersion, null,
                false, false);
        this.version = version;
        this.minDecryptionVersion = minDecryptionVersion;
    }
}
