package io.cloudsentinel.jobs.handler;

import java.time.Duration;

/**
 * A failure a retry may mend, but not before {@link #delay()} (a receiver's {@code Retry-After}): the next attempt
 * is due no sooner than that, however short the type's backoff. The attempts still count against max-attempts.
 */
public class RetryAfterException extends RuntimeException {

    private final Duration delay;

    public RetryAfterException(String message, Duration delay) {
        super(message);
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("a retry delay is zero or more, got " + delay);
        }
        this.delay = delay;
    }

    public Duration delay() {
        return delay;
    }
}
