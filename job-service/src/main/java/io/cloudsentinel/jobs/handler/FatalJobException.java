package io.cloudsentinel.jobs.handler;

import java.util.regex.Pattern;

/**
 * A failure that no retry can mend (bad payload, a refused permission): the job goes to the dead letters at once.
 * Its {@link #reason()} becomes the job's dead reason and the dead letter's {@code cs-dlq-reason}: {@code fatal}
 * unless the handler names a code of its own ({@code budget_exceeded}, say), which readers of jobs.dlq can act on.
 */
public class FatalJobException extends RuntimeException {

    public static final String FATAL = "fatal";
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final String reason;

    public FatalJobException(String message) {
        this(FATAL, message, null);
    }

    public FatalJobException(String message, Throwable cause) {
        this(FATAL, message, cause);
    }

    /** @param reason a code of lower-case letters, digits and underscores; it is a label and a Kafka header */
    protected FatalJobException(String reason, String message, Throwable cause) {
        super(message, cause);
        if (!CODE.matcher(reason).matches()) {
            throw new IllegalArgumentException("a dead reason is a code like budget_exceeded, not " + reason);
        }
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
