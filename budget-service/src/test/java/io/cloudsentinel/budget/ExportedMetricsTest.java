package io.cloudsentinel.budget;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.metrics.ExportedMetricsCheck;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * budget-service exports, from its start, every metric that deploy/grafana/metrics.yaml says the dashboard and the alert rules
 * read from it: counters and gauges exist at 0, so that rate() and the alerts work before the first event. Quarkus's
 * HTTP server metrics are the exception, made by the first request: one is sent first.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class ExportedMetricsTest {

    @Inject
    PrometheusMeterRegistry registry;

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsExported() throws InterruptedException {
        ExportedMetricsCheck.exportsWhatTheDashboardReads("budget-service", registry::scrape, Duration.ZERO);
    }
}
