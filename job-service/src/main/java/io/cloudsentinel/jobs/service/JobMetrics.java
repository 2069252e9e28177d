package io.cloudsentinel.jobs.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.AttemptOutcome;
import io.cloudsentinel.jobs.DlqReason;
import io.cloudsentinel.jobs.JobTypes;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The job metrics (no tenant label: tenants are many). Unknown types are counted as {@code type=unknown}. Created at
 * start with every series of the known types at 0, so that rate() and the alert rules see them before the first event.
 */
@Startup
@ApplicationScoped
public class JobMetrics {

    private static final String UNKNOWN_TYPE = "unknown";

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final AtomicInteger stuck = new AtomicInteger();
    private final AtomicReference<Double> queueLag = new AtomicReference<>(0.0);
    private final DistributionSummary intakeBatches;

    public JobMetrics(MeterRegistry registry, JobTypes types) {
        this.registry = registry;
        // strong references: a gauge holds its state weakly by default, and one whose state was collected leaves the
        // scrape (seen in a test JVM that restarted the application); the state lives as long as this bean anyway
        Gauge.builder("cs_jobs_stuck_handlers", stuck, AtomicInteger::get)
                .description("blocking handlers that ignored their interrupt and still hold a thread")
                .strongReference(true).register(registry);
        Gauge.builder("cs_jobs_queue_lag_seconds", queueLag, AtomicReference::get)
                .description("how long the oldest due job has waited").strongReference(true).register(registry);
        intakeBatches = DistributionSummary.builder("cs_jobs_intake_batch_requests")
                .description("job requests from Kafka stored per statement").register(registry);
        types.names().forEach(this::registerAtZero);
        registerDeadLettersAtZero(UNKNOWN_TYPE);
    }

    private void registerAtZero(String type) {
        registry.counter("cs_jobs_claimed_total", "type", type);
        registry.counter("cs_jobs_timeouts_total", "type", type);
        registry.counter("cs_jobs_stuck_total", "type", type);
        registry.counter("cs_jobs_lease_lost_total", "type", type);
        for (AttemptOutcome.Kind outcome : AttemptOutcome.Kind.values()) {
            registry.counter("cs_jobs_completed_total", "type", type, "outcome", outcome.name());
        }
        registerDeadLettersAtZero(type);
        runningOf(type);
    }

    private void registerDeadLettersAtZero(String type) {
        for (DlqReason reason : DlqReason.values()) {
            registry.counter("cs_jobs_dlq_total", "type", type, "reason", reason.code());
        }
    }

    public void intakeBatch(int requests) {
        intakeBatches.record(requests);
    }

    public void queueLag(double seconds) {
        queueLag.set(seconds);
    }

    public void claimed(String type) {
        registry.counter("cs_jobs_claimed_total", "type", type).increment();
        runningOf(type).incrementAndGet();
    }

    public void ended(String type, String outcome, Duration took) {
        registry.counter("cs_jobs_completed_total", "type", type, "outcome", outcome).increment();
        runningOf(type).decrementAndGet();
        Timer.builder("cs_jobs_run_duration_seconds").tag("type", type).publishPercentileHistogram()
                .register(registry).record(took);
    }

    public void timedOut(String type) {
        registry.counter("cs_jobs_timeouts_total", "type", type).increment();
    }

    public void stuck(String type) {
        registry.counter("cs_jobs_stuck_total", "type", type).increment();
        stuck.incrementAndGet();
    }

    public void unstuck() {
        stuck.decrementAndGet();
    }

    public int stuckNow() {
        return stuck.get();
    }

    public void deadLettered(String type, String reason) {
        registry.counter("cs_jobs_dlq_total", "type", type, "reason", reason).increment();
    }

    public void leaseLost(String type) {
        registry.counter("cs_jobs_lease_lost_total", "type", type).increment();
    }

    private AtomicInteger runningOf(String type) {
        return running.computeIfAbsent(type, key -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("cs_jobs_running", count, AtomicInteger::get).tag("type", key).strongReference(true)
                    .register(registry);
            return count;
        });
    }
}
