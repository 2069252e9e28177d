package io.cloudsentinel.jobs.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.JobTypes;
import io.cloudsentinel.jobs.repository.Job;
import io.cloudsentinel.jobs.store.JobCancel;
import io.cloudsentinel.jobs.store.JobReplay;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/**
 * What tenants do to their jobs: cancel one, replay dead ones. Each change is one conditional statement with its
 * {@code jobs.events} rows, in the tenant's transaction; a job of another tenant is absent (row-level security).
 */
@ApplicationScoped
public class JobControl {

    /** The job after a cancellation; {@code stopping} when it runs and its worker was asked to stop it. */
    public record Cancelled(Job job, boolean stopping) {
    }

    private final TenantTransactions transactions;
    private final JobCancel cancel;
    private final JobReplay replay;
    private final JobQueries queries;
    private final JobTypes types;
    private final Map<String, Integer> maxAttemptsByType = new TreeMap<>();
    private final Clock clock;

    public JobControl(TenantTransactions transactions, JobCancel cancel, JobReplay replay, JobQueries queries,
            JobTypes types, Clock clock) {
        this.transactions = transactions;
        this.cancel = cancel;
        this.replay = replay;
        this.queries = queries;
        this.types = types;
        this.clock = clock;
        types.names().forEach(type -> maxAttemptsByType.put(type, types.of(type).maxAttempts()));
    }

    public Uni<Cancelled> cancel(TenantId tenant, UUID id) {
        Instant now = clock.instant();
        return transactions.inTenant(tenant, connection -> cancel.cancel(connection, tenant, id, now))
                .chain(done -> switch (done.result()) {
                    case ABSENT -> throw JobProblems.jobNotFound(id);
                    case FINISHED -> throw JobProblems.jobFinished(id, done.state().orElseThrow());
                    case CANCELLED, REQUESTED -> queries.job(tenant, id)
                            .map(job -> new Cancelled(job, done.result() == JobCancel.Result.REQUESTED));
                });
    }

    /** DEAD_LETTER → PENDING, with as many attempts again as its type allows; its attempts history stays. */
    public Uni<Job> replay(TenantId tenant, UUID id) {
        Instant now = clock.instant();
        return transactions.inTenant(tenant, connection -> replay.one(connection, tenant, id, maxAttemptsByType, now)
                .chain(replayed -> replayed ? Uni.createFrom().voidItem()
                        : replay.found(connection, tenant, id).map(found -> {
                            if (found.isEmpty()) {
                                throw JobProblems.jobNotFound(id);
                            }
                            if (found.get().state() != JobState.DEAD_LETTER) {
                                throw JobProblems.notDeadLettered(id, found.get().state());
                            }
                            // dead because no handler runs its type: a replay would die again at once
                            throw JobProblems.unknownJobType(found.get().type(), types.names());
                        })))
                .chain(() -> queries.job(tenant, id));
    }

    /** Replays the tenant's dead jobs of a type that died in [from, to); answers how many. */
    public Uni<Long> replayDead(TenantId tenant, String type, Instant from, Instant to) {
        if (!types.knows(type)) {
            throw JobProblems.unknownJobType(type, types.names());
        }
        if (!from.isBefore(to)) {
            throw JobProblems.invalid("to", "must be after from");
        }
        Instant now = clock.instant();
        return transactions.inTenant(tenant, connection -> replay.deadOfType(connection, tenant, type,
                types.of(type).maxAttempts(), from, to, now));
    }
}
