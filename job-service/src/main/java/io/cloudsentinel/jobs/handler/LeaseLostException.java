package io.cloudsentinel.jobs.handler;

import java.util.UUID;

/** The attempt no longer holds the job's lease (timed out, rescued, cancelled): nothing it writes may land. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(UUID jobId, int attempt) {
        super("attempt " + attempt + " of job " + jobId + " no longer holds its lease");
    }
}
