package io.cloudsentinel.jobs.handler;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Does nothing and succeeds: for benchmarks and smoke tests of the queue itself. {@code {"holdMillis": n}} (0 to
 * {@link #MAX_HOLD}, its payload schema says) makes it take that long first, on a timer that its timeout or a cancel stops: a
 * job that is
 * running while an instance drains, dies or is cancelled.
 */
@ApplicationScoped
public class NoopHandler implements JobHandler {

    public static final String TYPE = "noop";
    static final Duration MAX_HOLD = Duration.ofMinutes(1);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String payloadSchema() {
        return """
                {"type": "object",
                 "properties": {"holdMillis": {"type": "integer", "minimum": 0, "maximum": %d}}}
                """.formatted(MAX_HOLD.toMillis());
    }

    @Override
    public Uni<Void> run(JobRun run) {
        long hold = run.payload().path("holdMillis").asLong(0);
        if (hold <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(hold));
    }
}
