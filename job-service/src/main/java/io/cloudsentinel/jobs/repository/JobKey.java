package io.cloudsentinel.jobs.repository;

import java.io.Serializable;
import java.util.UUID;

/** A job's identity: the tenant first, as every key of a tenant table (DESIGN.md, Scale-out). */
public record JobKey(UUID tenantId, UUID id) implements Serializable {
}
