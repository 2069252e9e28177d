package io.cloudsentinel.gateway;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.testing.metrics.ExportedMetricsCheck;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * gateway exports, from its start, every metric that deploy/grafana/metrics.yaml says the dashboard and the alert rules
 * read from it: counters and gauges exist at 0, so that rate() and the alerts work before the first event. Quarkus's
 * HTTP server metrics are the exception, made by the first request: one is sent first.
 */
@QuarkusTest
@WithTestResource(EdgeTestResource.class)
class ExportedMetricsTest {

    @Inject
    PrometheusMeterRegistry registry;

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsExported() throws InterruptedException {
        ExportedMetricsCheck.exportsWhatTheDashboardReads("gateway", registry::scrape, Duration.ZERO);
    }
}
