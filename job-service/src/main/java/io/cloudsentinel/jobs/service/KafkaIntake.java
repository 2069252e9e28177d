package io.cloudsentinel.jobs.service;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.DlqReason;
import io.cloudsentinel.jobs.JobRequest;
import io.cloudsentinel.jobs.JobRequestRefused;
import io.cloudsentinel.jobs.JobTypes;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/**
 * Stores a job request read from {@code jobs.requested} as a PENDING job, once per (tenant, dedup key), in the
 * request's tenant. The Uni completes once the row is committed. It fails with {@link JobRequestRefused} when the
 * request contradicts what is stored (retrying cannot help), with anything else when the database failed (retrying
 * may).
 */
@ApplicationScoped
public class KafkaIntake {

    static final String SOURCE = "kafka";

    private final TenantTransactions transactions;
    private final JobIntake intake;
    private final JobTypes types;
    private final Clock clock;

    public KafkaIntake(TenantTransactions transactions, JobIntake intake, JobTypes types, Clock clock) {
        this.transactions = transactions;
        this.intake = intake;
        this.types = types;
        this.clock = clock;
    }

    public Uni<JobIntake.Stored> store(JobRequest request) {
        String requestHash = request.requestHash();
        // deferred: each subscription (a retry after a database failure) is a new transaction at a new now
        return Uni.createFrom().deferred(() -> {
            Instant now = clock.instant();
            JobIntake.NewJob job = new JobIntake.NewJob(request.tenant(),
                    request.jobId().orElseGet(UUID::randomUUID), request.type(), request.dedupKey(), requestHash,
                    SOURCE, request.payloadJson(), request.priority(), request.runAt().orElse(now),
                    types.of(request.type()).maxAttempts());
            return transactions.inTenant(request.tenant(), connection -> intake.submit(connection, job, now));
        }).onFailure(PgErrors::isUniqueViolation).recoverWithUni(taken -> takenBy(request))
                .onFailure(KafkaIntake::isDataException).transform(failure -> new JobRequestRefused(
                        DlqReason.INVALID_JSON, "the database refused a value of the request: " + failure.getMessage()))
                .invoke(stored -> {
                    if (!stored.created() && !stored.requestHash().equals(requestHash)) {
                        throw new JobRequestRefused(DlqReason.CONFLICT, "dedup key '" + request.dedupKey()
                                + "' already names another request (job " + stored.id() + ")");
                    }
                });
    }

    /**
     * The job id was taken (the dedup key is the only conflict the insert absorbs): by this very request when a
     * twin delivery inserted it at the same moment, else by another job — a conflict that no retry resolves.
     */
    private Uni<JobIntake.Stored> takenBy(JobRequest request) {
        return transactions.inTenant(request.tenant(),
                connection -> intake.earlier(connection, request.tenant(), request.dedupKey()))
                .map(earlier -> earlier.orElseThrow(() -> new JobRequestRefused(DlqReason.CONFLICT,
                        "jobId " + request.jobId().map(UUID::toString).orElse("") + " is taken by another job")));
    }

    /** A data exception (22xxx) comes back on every retry: the record's fault, not the database's. */
    private static boolean isDataException(Throwable failure) {
        return PgErrors.sqlState(failure).filter(state -> state.startsWith("22")).isPresent();
    }
}
