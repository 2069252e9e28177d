package io.cloudsentinel.jobs.analysis;

/**
 * The model call did not give an analysis this time (unreachable, no answer in time, 429 or 5xx): the attempt fails
 * and the job is retried with backoff. The message says what became of the hold.
 */
public class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message) {
        super(message);
    }
}
