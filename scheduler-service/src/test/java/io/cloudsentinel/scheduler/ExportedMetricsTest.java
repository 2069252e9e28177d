package io.cloudsentinel.scheduler;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.testing.metrics.ExportedMetricsCheck;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * scheduler-service exports, from its start, every metric that deploy/grafana/metrics.yaml says the dashboard and the
 * alert rules read from it: counters and gauges exist at 0, so that rate() and the alerts work before the first
 * event. Quarkus's HTTP server metrics are made by the first request: one is sent first. The outbox relay, on as in
 * production here (the other tests drive it themselves), measures the outbox from its first poll (500 ms).
 */
@QuarkusTest
@SchedulerTestResources
@TestProfile(ExportedMetricsTest.RelayOn.class)
class ExportedMetricsTest {

    public static class RelayOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cs.outbox.enabled", "true");
        }
    }

    @Inject
    PrometheusMeterRegistry registry;

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsExported() throws InterruptedException {
        ExportedMetricsCheck.exportsWhatTheDashboardReads("scheduler-service", registry::scrape, Duration.ofSeconds(10));
    }
}
