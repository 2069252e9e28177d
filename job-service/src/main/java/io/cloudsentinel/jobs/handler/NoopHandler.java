package io.cloudsentinel.jobs.handler;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** Does nothing and succeeds: for benchmarks and smoke tests of the queue itself. */
@ApplicationScoped
public class NoopHandler implements JobHandler {

    public static final String TYPE = "noop";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Uni<Void> run(JobRun run) {
        return Uni.createFrom().voidItem();
    }
}
