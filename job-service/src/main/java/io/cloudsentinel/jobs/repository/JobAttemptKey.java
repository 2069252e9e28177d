package io.cloudsentinel.jobs.repository;

import java.io.Serializable;
import java.util.UUID;

/** An attempt's identity: the tenant, the job and the attempt's number. */
public record JobAttemptKey(UUID tenantId, UUID jobId, int attempt) implements Serializable {
}
