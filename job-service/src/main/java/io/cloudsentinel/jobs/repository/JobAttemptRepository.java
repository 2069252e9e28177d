package io.cloudsentinel.jobs.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** The attempts of a tenant's jobs, their history through retries and replays. */
@ApplicationScoped
public class JobAttemptRepository implements PanacheRepositoryBase<JobAttempt, JobAttemptKey> {

    public Uni<List<JobAttempt>> ofJob(TenantId tenant, UUID jobId) {
        return list("tenantId = ?1 and jobId = ?2 order by attempt", tenant.value(), jobId);
    }
}
