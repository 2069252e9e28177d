package io.cloudsentinel.scheduler.repository;

import java.io.Serializable;
import java.util.UUID;

/** A schedule's identity: the tenant first, as every key of a tenant table (DESIGN.md, Scale-out). */
public record ScheduleKey(UUID tenantId, String jobType) implements Serializable {
}
