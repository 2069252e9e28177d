package io.cloudsentinel.platform.crypto;

/** crypto-service refused the request (4xx): a ciphertext that does not open for this tenant and purpose, say. */
public class SecretRefusedException extends RuntimeException {

    private final int status;

    public SecretRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
