package io.cloudsentinel.testing.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrapedMetricNamesTest {

    @Test
    void samplesAreNamedWithTheirSuffixesAndCommentsAreSkipped() {
        String scrape = """
                # HELP cs_jobs_dlq_total Jobs dead-lettered
                # TYPE cs_jobs_dlq_total counter
                cs_jobs_dlq_total{reason="fatal",type="notification",} 0.0
                # TYPE cs_outbox_pending gauge
                cs_outbox_pending 3.0
                http_server_requests_seconds_bucket{le="0.1",status="200",} 1.0
                http_server_requests_seconds_count{status="200",} 1.0
                """;
        assertThat(ScrapedMetricNames.of(scrape)).containsExactly("cs_jobs_dlq_total", "cs_outbox_pending",
                "http_server_requests_seconds_bucket", "http_server_requests_seconds_count");
    }
}
