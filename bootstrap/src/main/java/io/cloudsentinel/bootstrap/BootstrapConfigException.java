package io.cloudsentinel.bootstrap;

/** A missing or malformed environment variable of the bootstrap CLI; its message names the variable. */
public final class BootstrapConfigException extends RuntimeException {

    public BootstrapConfigException(String message) {
        super(message);
    }
}
