package io.cloudsentinel.jobs.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.DlqReason;
import io.cloudsentinel.jobs.JobRequest;
import io.cloudsentinel.jobs.JobRequestRefused;
import io.cloudsentinel.jobs.JobTypes;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.platform.tracing.SpanTrace;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Stores job requests read from {@code jobs.requested} as PENDING jobs, once per (tenant, dedup key), a batch in one
 * statement. The requests of a batch belong to many tenants (the consumer reads every tenant's), so the batch is the
 * named system task {@code job-intake}; each row carries the tenant that {@code JobRequestCheck} verified against the
 * record's {@code tenant-id} header. The Uni completes once the rows are committed, with one answer per request: its
 * job, or why it is refused for good (it contradicts a stored job, or the database refused one of its values). It
 * fails when the database failed (retrying may help).
 */
@ApplicationScoped
public class KafkaIntake {

    static final String SOURCE = "kafka";
    private static final SystemTask INTAKE = new SystemTask("job-intake");

    /** What became of one request: stored (or found stored), or refused with the reason. */
    public record Answer(Optional<JobIntake.Stored> stored, Optional<JobRequestRefused> refused) {

        static Answer stored(JobIntake.Stored stored) {
            return new Answer(Optional.of(stored), Optional.empty());
        }

        static Answer refused(JobRequestRefused refusal) {
            return new Answer(Optional.empty(), Optional.of(refusal));
        }
    }

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

    /**
     * The requests in one transaction, answered in their order; each job keeps the trace beside it ({@code traces}
     * in the requests' order, null: none), its record's, so that a batch's jobs do not share one record's trace.
     */
    public Uni<List<Answer>> storeAll(List<JobRequest> requests, List<SpanTrace> traces) {
        if (traces.size() != requests.size()) {
            throw new IllegalArgumentException(traces.size() + " traces for " + requests.size() + " requests");
        }
        List<String> hashes = requests.stream().map(JobRequest::requestHash).toList();
        // deferred: each subscription (a retry after a database failure) is a new transaction at a new now
        return Uni.createFrom().deferred(() -> {
            Instant now = clock.instant();
            List<JobIntake.NewJob> jobs = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                jobs.add(newJob(requests.get(i), hashes.get(i), traces.get(i), now));
            }
            return transactions.asSystem(INTAKE, connection -> intake.submitAll(connection, jobs, now));
        }).map(stored -> answers(requests, hashes, stored))
                .onFailure(KafkaIntake::isDataException).recoverWithUni(failure -> requests.size() == 1
                        ? Uni.createFrom().item(List.of(Answer.refused(new JobRequestRefused(DlqReason.INVALID_JSON,
                                "the database refused a value of the request: " + failure.getMessage()))))
                        // one value of one request fails the whole statement: each request alone tells which
                        : Multi.createFrom().range(0, requests.size()).onItem()
                                .transformToUniAndConcatenate(i -> storeAll(List.of(requests.get(i)),
                                        Collections.singletonList(traces.get(i))))
                                .collect().in(ArrayList::new, List::addAll));
    }

    private JobIntake.NewJob newJob(JobRequest request, String hash, SpanTrace trace, Instant now) {
        return new JobIntake.NewJob(request.tenant(), request.jobId().orElseGet(UUID::randomUUID), request.type(),
                request.dedupKey(), hash, SOURCE, request.payloadJson(), request.priority(),
                request.runAt().orElse(now), types.of(request.type()).maxAttempts(), trace);
    }

    private static List<Answer> answers(List<JobRequest> requests, List<String> hashes,
            List<Optional<JobIntake.Stored>> stored) {
        List<Answer> answers = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            JobRequest request = requests.get(i);
            String hash = hashes.get(i);
            answers.add(stored.get(i).map(job -> job.created() || job.requestHash().equals(hash)
                    ? Answer.stored(job)
                    : Answer.refused(new JobRequestRefused(DlqReason.CONFLICT, "dedup key '" + request.dedupKey()
                            + "' already names another request (job " + job.id() + ")")))
                    .orElseGet(() -> Answer.refused(new JobRequestRefused(DlqReason.CONFLICT, "jobId "
                            + request.jobId().map(UUID::toString).orElse("") + " is taken by another job"))));
        }
        return answers;
    }

    /** A data exception (22xxx) comes back on every retry: the record's fault, not the database's. */
    private static boolean isDataException(Throwable failure) {
        return PgErrors.sqlState(failure).filter(state -> state.startsWith("22")).isPresent();
    }
}
