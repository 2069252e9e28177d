package io.cloudsentinel.platform.crypto;

/** crypto-service could not be reached, failed (5xx) or did not answer in time, after the retries. */
public class CryptoUnavailableException extends RuntimeException {

    public CryptoUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
