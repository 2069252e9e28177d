package io.cloudsentinel.scheduler.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** A tenant's schedules; row-level security shows each tenant only its own. */
@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<Schedule, ScheduleKey> {

    public Uni<List<Schedule>> ofTenant(TenantId tenant) {
        return list("tenantId = ?1 order by jobType", tenant.value());
    }

    /** The schedule locked for a change ({@code FOR UPDATE}: the sweep's {@code SKIP LOCKED} passes it by). */
    public Uni<Schedule> forChange(TenantId tenant, String jobType) {
        return findById(new ScheduleKey(tenant.value(), jobType), LockModeType.PESSIMISTIC_WRITE);
    }
}
