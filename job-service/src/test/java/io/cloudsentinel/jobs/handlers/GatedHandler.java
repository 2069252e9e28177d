package io.cloudsentinel.jobs.handlers;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.JobHandler;
import io.cloudsentinel.jobs.handler.JobRun;
import io.smallrye.mutiny.Uni;

/**
 * Waits until the test opens the gate for its attempt ({@link Gates}), then writes its mark: a reactive handler a
 * test holds in the middle of its work.
 */
@ApplicationScoped
public class GatedHandler implements JobHandler {

    public static final String TYPE = "test_gated";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Uni<Void> run(JobRun run) {
        return Uni.createFrom().completionStage(Gates.of(run.jobId(), run.attempt()))
                .ifNoItem().after(Duration.ofMinutes(5)).fail()
                .chain(() -> Marks.write(run));
    }
}
