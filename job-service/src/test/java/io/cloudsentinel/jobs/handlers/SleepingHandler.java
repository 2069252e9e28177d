package io.cloudsentinel.jobs.handlers;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.BlockingJobHandler;
import io.cloudsentinel.jobs.handler.JobRun;

/** Sleeps {@code payload.millis} on its thread, then writes its mark: a blocking handler that honours interrupts. */
@ApplicationScoped
public class SleepingHandler implements BlockingJobHandler {

    public static final String TYPE = "test_sleep";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(JobRun run) throws Exception {
        Thread.sleep(run.payload().path("millis").asLong(0));
        Marks.write(run).await().indefinitely();
    }
}
