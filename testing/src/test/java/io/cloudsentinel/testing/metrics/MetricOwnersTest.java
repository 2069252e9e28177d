package io.cloudsentinel.testing.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricOwnersTest {

    @Test
    void eachServiceIsHeldToTheMetricsThatNameIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.yaml");
        Files.writeString(file, """
                metrics:
                  cs_outbox_pending: [job-service, scheduler-service]
                  cs_jobs_dlq_total: [job-service]
                  cs_crypto_operations_total: [crypto-service]
                """);

        MetricOwners owners = MetricOwners.load(file);

        assertThat(owners.exportedBy("job-service")).containsExactly("cs_jobs_dlq_total", "cs_outbox_pending");
        assertThat(owners.exportedBy("gateway")).isEmpty();
        assertThat(owners.metrics()).hasSize(3);
    }

    @Test
    void theRepositorysFileIsFoundFromAModule() {
        assertThat(MetricOwners.fromRepository().metrics()).isNotEmpty();
    }
}
