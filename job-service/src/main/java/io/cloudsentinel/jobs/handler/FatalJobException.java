package io.cloudsentinel.jobs.handler;

/** A failure that no retry can mend (bad payload, a refused permission): the job goes to the dead letters at once. */
public class FatalJobException extends RuntimeException {

    public FatalJobException(String message) {
        super(message);
    }

    public FatalJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
