package io.cloudsentinel.jobs.repository;

import java.io.Serializable;
import java.util.UUID;

/** A cost source's identity: its tenant, then its name. */
public record CostSourceKey(UUID tenantId, String name) implements Serializable {
}
