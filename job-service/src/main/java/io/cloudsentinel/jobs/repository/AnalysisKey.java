package io.cloudsentinel.jobs.repository;

import java.io.Serializable;
import java.util.UUID;

/** An analysis's identity: its tenant, then its job. */
public record AnalysisKey(UUID tenantId, UUID jobId) implements Serializable {
}
