package io.cloudsentinel.platform.context;

/** The signed context of a request is missing, malformed, expired or not signed by a secret we accept. */
public class InvalidContextException extends Exception {

    public InvalidContextException(String reason) {
        super(reason, null, false, false);
    }
}
