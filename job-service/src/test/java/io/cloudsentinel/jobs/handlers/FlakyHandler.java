package io.cloudsentinel.jobs.handlers;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.FatalJobException;
import io.cloudsentinel.jobs.handler.JobHandler;
import io.cloudsentinel.jobs.handler.JobRun;
import io.smallrye.mutiny.Uni;

/**
 * Fails its first {@code payload.failures} attempts (fatally when {@code payload.fatal}; with a NUL character and
 * 100,000 more in the message when {@code payload.unwieldyMessage}), then writes its mark: a reactive handler for
 * retries, backoff and dead letters.
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
            String message = "attempt " + run.attempt() + " failed";
            if (run.payload().path("unwieldyMessage").asBoolean(false)) {
                // what PostgreSQL text cannot hold, and far more of it than a row should
                message += " \0 " + "x".repeat(100_000);
            }
            return Uni.createFrom().failure(new IllegalStateException(message));
        }
        return Marks.write(run);
    }
}
