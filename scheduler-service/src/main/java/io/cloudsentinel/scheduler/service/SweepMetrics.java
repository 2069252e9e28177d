package io.cloudsentinel.scheduler.service;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * What the sweeps did, for Prometheus. Job types are a short configured list, so they may be a label. Created at start
 * with the emissions of every configured type and the retried SQLSTATEs at 0, for rate() and the alerts.
 */
@Startup
@ApplicationScoped
public class SweepMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> emissions = new ConcurrentHashMap<>();
    private final Counter missedSlots;
    private final Timer sweepDuration;
    private final AtomicReference<Double> lagSeconds = new AtomicReference<>(0.0);

    public SweepMetrics(MeterRegistry registry, SchedulerConfig config) {
        this.registry = registry;
        this.missedSlots = Counter.builder("cs.scheduler.missed.slots")
                .description("Slots that came and went while nobody swept (downtime); only the current slot is emitted")
                .register(registry);
        this.sweepDuration = Timer.builder("cs.scheduler.sweep.duration").description("Duration of one sweep")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("cs.scheduler.lag.seconds", lagSeconds, AtomicReference::get)
                .description("How long the oldest due schedule has been waiting").register(registry);
        config.jobTypes().forEach(this::emissionsOf);
        // the SQLSTATEs PgErrors.isTransient retries: deadlock, serialization failure
        for (String sqlState : List.of("40P01", "40001")) {
            registry.counter("cs.scheduler.deadlocks", "sqlstate", sqlState);
        }
    }

    private Counter emissionsOf(String jobType) {
        return emissions.computeIfAbsent(jobType, type -> Counter.builder("cs.scheduler.emissions")
                .description("Slots emitted into the outbox").tag("jobType", type).register(registry));
    }

    void emitted(String jobType, long count) {
        if (count > 0) {
            emissionsOf(jobType).increment(count);
        }
    }

    void missed(long count) {
        missedSlots.increment(count);
    }

    void transientFailure(Throwable failure) {
        registry.counter("cs.scheduler.deadlocks", "sqlstate", PgErrors.sqlState(failure).orElse("unknown"))
                .increment();
    }

    void sweepTook(Duration duration) {
        sweepDuration.record(duration);
    }

    void lag(double seconds) {
        lagSeconds.set(seconds);
    }
}
