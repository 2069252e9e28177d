package io.cloudsentinel.jobs.handlers;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.JobHandler;
import io.cloudsentinel.jobs.handler.JobRun;
import io.smallrye.mutiny.Uni;

/**
 * Reads every job row its transaction can see and keeps the tenants it found, and keeps its {@link JobRun}: a handler
 * that tries to look past its tenant, and to use its run after the attempt.
 */
@ApplicationScoped
public class PeekingHandler implements JobHandler {

    public static final String TYPE = "test_peek";
    public static final Map<UUID, Set<UUID>> SEEN = new ConcurrentHashMap<>();
    public static final Map<UUID, JobRun> RUNS = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Uni<Void> run(JobRun run) {
        RUNS.put(run.jobId(), run);
        return run.inTenant(connection -> connection.query("SELECT DISTINCT tenant_id FROM jobs").execute())
                .invoke(rows -> SEEN.put(run.jobId(), StreamSupport.stream(rows.spliterator(), false)
                        .map(row -> row.getUUID(0)).collect(Collectors.toSet())))
                .replaceWithVoid();
    }
}
