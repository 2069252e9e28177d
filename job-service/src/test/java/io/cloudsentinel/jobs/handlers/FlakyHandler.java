package io.cloudsentinel.jobs.handlers;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.FatalJobException;
import io.cloudsentinel.jobs.handler.JobHandler;
import io.cloudsentinel.jobs.handler.JobRun;
import io.smallrye.mutiny.Uni;

/**
 * Fails its first {@code payload.failures} attempts (fatally when {@code payload.fatal}), then writes its mark: a
 * reactive handler for retries, backoff and dead letters.
 */
@ApplicationScoped
public class FlakyHandler implements JobHandler {

    public static final String TYPE = "test_flaky";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Uni<Void> run(JobRun run) {
        if (run.attempt() <= run.payload().path("failures").asInt(0)) {
            if (run.payload().path("fatal").asBoolean(false)) {
                return Uni.createFrom().failure(new FatalJobException("the payload can never work"));
            }
            return Uni.createFrom().failure(new IllegalStateException("attempt " + run.attempt() + " failed"));
        }
        return Marks.write(run);
    }
}
