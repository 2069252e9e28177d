package io.cloudsentinel.jobs.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** A tenant's jobs as the API reads them; row-level security shows each tenant only its own. */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<Job, JobKey> {

    /** Where a page starts: after the job created at {@code createdAt} with {@code id} (newest first). */
    public record After(Instant createdAt, UUID id) {
    }

    public Uni<Job> find(TenantId tenant, UUID id) {
        return findById(new JobKey(tenant.value(), id));
    }

    /**
     * Newest first by (created_at, id), the order of {@code jobs_listing_idx}: a keyset page, so deep pages cost what
     * the first does and a job created meanwhile neither repeats nor skips one.
     */
    public Uni<List<Job>> page(TenantId tenant, Optional<JobState> state, Optional<String> type,
            Optional<After> after, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters parameters = Parameters.with("tenant", tenant.value());
        if (state.isPresent()) {
            query.append(" and state = :state");
            parameters.and("state", state.get());
        }
        if (type.isPresent()) {
            query.append(" and jobType = :type");
            parameters.and("type", type.get());
        }
        if (after.isPresent()) {
            query.append(" and (createdAt < :createdAt or (createdAt = :createdAt and id < :id))");
            parameters.and("createdAt", after.get().createdAt()).and("id", after.get().id());
        }
        query.append(" order by createdAt desc, id desc");
        return find(query.toString(), parameters).page(0, limit).list();
    }
}
