package io.cloudsentinel.platform.kafka;

/** A record without the headers that say whose work it is: it goes to a dead-letter topic with this reason. */
public class InvalidEventHeadersException extends Exception {

    public InvalidEventHeadersException(String reason) {
        super(reason, null, false, false);
    }
}
