package io.cloudsentinel.jobs.service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.repository.Job;
import io.cloudsentinel.jobs.repository.JobAttempt;
import io.cloudsentinel.jobs.repository.JobAttemptRepository;
import io.cloudsentinel.jobs.repository.JobRepository;
import io.cloudsentinel.jobs.store.JobStats;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/**
 * What the API reads: a tenant's jobs and their attempts (entities, in the tenant's session, so another tenant's job
 * is simply absent), and the counts by state and type, of one tenant or, for operators, of all on the system path.
 */
@ApplicationScoped
public class JobQueries {

    private static final SystemTask STATS = new SystemTask("job-stats");

    /** A job with its attempts, oldest first. */
    public record JobHistory(Job job, List<JobAttempt> attempts) {
    }

    /** Which jobs a page lists; empty filters list all. */
    public record Filter(Optional<JobState> state, Optional<String> type) {
    }

    private final TenantTransactions transactions;
    private final JobRepository jobs;
    private final JobAttemptRepository attempts;
    private final JobStats stats;

    public JobQueries(TenantTransactions transactions, JobRepository jobs, JobAttemptRepository attempts,
            JobStats stats) {
        this.transactions = transactions;
        this.jobs = jobs;
        this.attempts = attempts;
        this.stats = stats;
    }

    /** @throws io.cloudsentinel.platform.problem.ProblemException 404 when the tenant has no such job */
    public Uni<Job> job(TenantId tenant, UUID id) {
        return transactions.inTenantSession(tenant, session -> jobs.find(tenant, id))
                .map(found -> present(found, id));
    }

    public Uni<JobHistory> history(TenantId tenant, UUID id) {
        return transactions.inTenantSession(tenant, session -> jobs.find(tenant, id)
                .chain(found -> attempts.ofJob(tenant, present(found, id).id())
                        .map(ofJob -> new JobHistory(found, ofJob))));
    }

    /** Newest first, after {@code after} (the last job of the previous page) when present. */
    public Uni<List<Job>> page(TenantId tenant, Filter filter, Optional<JobRepository.After> after, int limit) {
        return transactions.inTenantSession(tenant,
                session -> jobs.page(tenant, filter.state(), filter.type(), after, limit));
    }

    public Uni<List<JobStats.Count>> countsOf(TenantId tenant) {
        return transactions.inTenant(tenant, connection -> stats.ofTenant(connection, tenant));
    }

    /** Every tenant's jobs, counted on the audited system path: for platform admins only, logged with who asked. */
    public Uni<List<JobStats.Count>> countsOfPlatform(String operator) {
        return transactions.asSystem(STATS.forOperator(operator), stats::ofPlatform);
    }

    private static Job present(Job found, UUID id) {
        if (found == null) {
            throw JobProblems.jobNotFound(id);
        }
        return found;
    }
}
