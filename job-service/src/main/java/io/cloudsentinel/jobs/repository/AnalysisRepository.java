package io.cloudsentinel.jobs.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** A tenant's analyses as the API reads them; row-level security shows each tenant only its own. */
@ApplicationScoped
public class AnalysisRepository implements PanacheRepositoryBase<Analysis, AnalysisKey> {

    public Uni<Analysis> find(TenantId tenant, UUID jobId) {
        return findById(new AnalysisKey(tenant.value(), jobId));
    }

    /** Newest first by (created_at, job_id), the order of {@code analyses_listing_idx}: a keyset page. */
    public Uni<List<Analysis>> page(TenantId tenant, Optional<JobRepository.After> after, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters parameters = Parameters.with("tenant", tenant.value());
        if (after.isPresent()) {
            query.append(" and (createdAt < :createdAt or (createdAt = :createdAt and jobId < :jobId))");
            parameters.and("createdAt", after.get().createdAt()).and("jobId", after.get().id());
        }
        query.append(" order by createdAt desc, jobId desc");
        return find(query.toString(), parameters).page(0, limit).list();
    }
}
