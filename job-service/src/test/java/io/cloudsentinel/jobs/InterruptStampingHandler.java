package io.cloudsentinel.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.BlockingJobHandler;
import io.cloudsentinel.jobs.handler.JobRun;
import io.quarkus.arc.properties.IfBuildProperty;

/**
 * Sleeps {@code payload.millis} and stamps the instant its thread saw the interrupt of its timeout: what the timeout
 * overshoot of {@link JobsBenchmark} is measured from. Only in the benchmark's profile
 * ({@code cs.bench.sleep-handler}), so that the tests' workers do not see one more type.
 */
@ApplicationScoped
@IfBuildProperty(name = "cs.bench.sleep-handler", stringValue = "true")
public class InterruptStampingHandler implements BlockingJobHandler {

    public static final String TYPE = "bench_sleep";
    /** When each job's thread was interrupted, by job id. */
    static final Map<UUID, Instant> INTERRUPTED = new ConcurrentHashMap<>();
    /** The jobs whose handler ran at all (a task cancelled while queued for a thread never does). */
    static final Map<UUID, Instant> STARTED = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(JobRun run) throws Exception {
        STARTED.put(run.jobId(), Instant.now());
        try {
            Thread.sleep(run.payload().path("millis").asLong(0));
        } catch (InterruptedException e) {
            INTERRUPTED.put(run.jobId(), Instant.now());
            throw e;
        }
    }
}
