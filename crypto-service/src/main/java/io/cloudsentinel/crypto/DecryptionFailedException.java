package io.cloudsentinel.crypto;

/** A ciphertext did not decrypt. Deliberately says nothing about which check failed. */
public class DecryptionFailedException extends RuntimeException {

    public DecryptionFailedException() {
        super("decryption failed", null, false, false);
    }
}
