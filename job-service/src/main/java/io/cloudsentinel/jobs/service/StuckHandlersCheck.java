package io.cloudsentinel.jobs.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.cloudsentinel.jobs.config.JobsConfig;

/**
 * Not live once stuck handlers hold every thread of the blocking pool: no blocking job can run here any more, and only
 * a restart gives the threads back.
 */
@Liveness
@ApplicationScoped
public class StuckHandlersCheck implements HealthCheck {

    private final JobMetrics metrics;
    private final JobsConfig config;

    public StuckHandlersCheck(JobMetrics metrics, JobsConfig config) {
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        int stuck = metrics.stuckNow();
        int threads = config.worker().blockingThreads();
        return HealthCheckResponse.named("job-handlers").status(stuck < threads).withData("stuck", stuck)
                .withData("blockingThreads", threads).build();
    }
}
