package io.cloudsentinel.jobs.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.JobTypes;
import io.cloudsentinel.jobs.RequestHash;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.repository.Job;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.platform.tracing.SpanTrace;
import io.smallrye.mutiny.Uni;

/**
 * Jobs tenants request through the API. The Idempotency-Key is the dedup key ({@code api:<key>}): the same key with
 * the same request answers the job it made, the same key with another request is refused. The job and its
 * {@code jobs.events} row are written in one statement, in the tenant's transaction.
 */
@ApplicationScoped
public class JobSubmissions {

    static final String SOURCE = "api";

    /** A request as the API received it; {@code runAt} absent means now. */
    public record Submission(String type, ObjectNode payload, int priority, Optional<Instant> runAt,
            String idempotencyKey) {
    }

    /** The job a submission stands for; {@code created} is false when an earlier request with its key made it. */
    public record Submitted(Job job, boolean created) {
    }

    private final TenantTransactions transactions;
    private final JobIntake intake;
    private final JobQueries queries;
    private final JobTypes types;
    private final JobsConfig config;
    private final ObjectMapper json;
    private final Worker worker;
    private final Clock clock;

    public JobSubmissions(TenantTransactions transactions, JobIntake intake, JobQueries queries, JobTypes types,
            JobsConfig config, ObjectMapper json, Worker worker, Clock clock) {
        this.transactions = transactions;
        this.intake = intake;
        this.queries = queries;
        this.types = types;
        this.config = config;
        this.json = json;
        this.worker = worker;
        this.clock = clock;
    }

    public Uni<Submitted> submit(TenantId tenant, Submission submission) {
        String type = submission.type();
        if (!types.knows(type) || !config.ingestion().apiTypes().contains(type)) {
            throw JobProblems.unknownJobType(type, allowedTypes());
        }
        List<String> problems = types.payloadProblems(type, submission.payload());
        if (!problems.isEmpty()) {
            throw JobProblems.invalidPayload(type, problems);
        }
        String payload = text(submission.payload());
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.ingestion().maxRecordBytes()) {
            throw JobProblems.payloadTooLarge(bytes, config.ingestion().maxRecordBytes());
        }
        if (payload.contains("\\u0000")) {
            // PostgreSQL's jsonb cannot hold it: refused here rather than failing the insert
            throw JobProblems.invalid("payload", "strings must not contain the NUL character (\\u0000)");
        }
        String hash = RequestHash.of(type, submission.payload(), submission.priority(), submission.runAt());
        Instant now = clock.instant();
        JobIntake.NewJob job = new JobIntake.NewJob(tenant, UUID.randomUUID(), type,
                SOURCE + ":" + submission.idempotencyKey(), hash, SOURCE, payload, submission.priority(),
                submission.runAt().orElse(now), types.of(type).maxAttempts(), SpanTrace.current());
        return transactions.inTenant(tenant, connection -> intake.submit(connection, job, now))
                .chain(stored -> {
                    if (!stored.created() && !stored.requestHash().equals(hash)) {
                        throw JobProblems.idempotencyKeyReused(submission.idempotencyKey(), stored.id());
                    }
                    if (stored.created()) {
                        worker.wake();
                    }
                    return queries.job(tenant, stored.id()).map(found -> new Submitted(found, stored.created()));
                });
    }

    /** The types tenants may request here: registered and allowed for the API. */
    public Set<String> allowedTypes() {
        Set<String> allowed = new TreeSet<>(config.ingestion().apiTypes());
        allowed.retainAll(types.names());
        return allowed;
    }

    private String text(ObjectNode payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw JobProblems.invalid("payload", "cannot be written as JSON");
        }
    }
}
