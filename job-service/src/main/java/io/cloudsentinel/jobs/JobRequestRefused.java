package io.cloudsentinel.jobs;

/**
 * A job request that will never be taken, whatever retries: it goes to {@code jobs.dlq} with {@link #reason()} as
 * {@code cs-dlq-reason} and its message as {@code dead-letter-reason}.
 */
public class JobRequestRefused extends RuntimeException {

    private final DlqReason reason;

    public JobRequestRefused(DlqReason reason, String detail) {
        // no stack trace: a refusal is an answer about the record, not a fault of this service
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DlqReason reason() {
        return reason;
    }
}
