package io.cloudsentinel.testing.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The check every service's {@code ExportedMetricsTest} makes: right after start, its registry exports every metric
 * that deploy/grafana/metrics.yaml says the dashboard and the alert rules read from it (counters and gauges exist at
 * 0, so that rate() and the alerts work before the first event). Quarkus's HTTP server metrics are made by the first
 * request, so one is sent first; meters that a periodic task makes on its first run are waited for, up to {@code
 * settle}.
 */
public final class ExportedMetricsCheck {

    private ExportedMetricsCheck() {
    }

    /** @param scrape the service's Prometheus registry's {@code scrape()} */
    public static void exportsWhatTheDashboardReads(String service, Supplier<String> scrape, Duration settle)
            throws InterruptedException {
        given().get("/api/v1/exported-metrics-probe").then().extract().statusCode();
        MetricOwners owners = MetricOwners.fromRepository();
        assertThat(owners.exportedBy(service)).as("metrics.yaml names metrics of " + service).isNotEmpty();
        long deadline = System.nanoTime() + settle.toNanos();
        Set<String> missing = owners.missingFrom(service, ScrapedMetricNames.of(scrape.get()));
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling for a condition, bounded by settle
            missing = owners.missingFrom(service, ScrapedMetricNames.of(scrape.get()));
        }
        assertThat(missing).as(service + " does not export").isEmpty();
    }
}
