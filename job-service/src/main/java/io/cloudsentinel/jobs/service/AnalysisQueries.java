package io.cloudsentinel.jobs.service;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.repository.Analysis;
import io.cloudsentinel.jobs.repository.AnalysisRepository;
import io.cloudsentinel.jobs.repository.JobRepository;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** The tenant's analyses as the API reads them (entities in the tenant's session: another tenant's are absent). */
@ApplicationScoped
public class AnalysisQueries {

    public static final URI RESULT_NOT_FOUND = ProblemTypes.of("result-not-found");

    private final TenantTransactions transactions;
    private final AnalysisRepository analyses;

    public AnalysisQueries(TenantTransactions transactions, AnalysisRepository analyses) {
        this.transactions = transactions;
        this.analyses = analyses;
    }

    /** @throws ProblemException 404 {@code result-not-found} when the tenant has no analysis of this job */
    public Uni<Analysis> of(TenantId tenant, UUID jobId) {
        return transactions.inTenantSession(tenant, session -> analyses.find(tenant, jobId)).map(found -> {
            if (found == null) {
                throw new ProblemException(Problem.of(RESULT_NOT_FOUND, 404, "Result not found",
                        "job " + jobId + " has no analysis: no such job, not a finops_analysis job, or not finished"));
            }
            return found;
        });
    }

    /** Newest first, after the analysis of {@code after} (the last of the previous page) when present. */
    public Uni<List<Analysis>> page(TenantId tenant, Optional<JobRepository.After> after, int limit) {
        return transactions.inTenantSession(tenant, session -> analyses.page(tenant, after, limit));
    }
}
