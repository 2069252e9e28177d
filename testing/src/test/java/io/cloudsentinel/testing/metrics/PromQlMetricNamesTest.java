package io.cloudsentinel.testing.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

    @Test
    void aRateOverASelectorNamesItsMetricOnly() {
        assertThat(PromQlMetricNames.of("sum by (namespace, service) (rate(cs_jobs_dlq_total{reason=~\"fatal|x\"}[5m]))"))
                .containsExactly("cs_jobs_dlq_total");
    }

    @Test
    void bothSidesOfABinaryOperatorAndTheirModifiersCount() {
        String ratio = "sum by (service) (rate(http_server_requests_seconds_count{status=~\"5..\"}[5m]))"
                + " / on (service) group_left sum(rate(http_server_requests_seconds_count[5m])) > 0.05"
                + " unless cs_jobs_running offset 10m";
        assertThat(PromQlMetricNames.of(ratio)).containsExactly("cs_jobs_running",
                "http_server_requests_seconds_count");
    }

    @Test
    void histogramQuantileAndGrafanaVariablesAreNotMetrics() {
        String quantile = "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket"
                + "{namespace=\"$namespace\", service=~\"$service\"}[$__rate_interval])))";
        assertThat(PromQlMetricNames.of(quantile)).containsExactly("http_server_requests_seconds_bucket");
    }

    @Test
    void aBareMetricWithoutSelectorIsFound() {
        assertThat(PromQlMetricNames.of("max(cs_outbox_lag_seconds) > 120 and cs_outbox_parked > 0"))
                .containsExactly("cs_outbox_lag_seconds", "cs_outbox_parked");
    }
}
