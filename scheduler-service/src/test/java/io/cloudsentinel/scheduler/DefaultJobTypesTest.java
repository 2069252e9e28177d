package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * Outside tests the tiers fetch every tenant's cost exports and look for anomalies and idle resources, but never run
 * finops_analysis on their own: it spends the tenant's LLM budget, so a tenant admin schedules it.
 */
class DefaultJobTypesTest {

    @Test
    void theShippedTiersRunTheFinOpsDataTypesAndNeverTheAnalysis() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = DefaultJobTypesTest.class.getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        assertThat(types(shipped, "cs.scheduler.tiers.active.job-types"))
                .containsExactlyInAnyOrder("cost_ingestion", "cost_anomaly_detection", "zombie_scan");
        assertThat(types(shipped, "cs.scheduler.tiers.normal.job-types"))
                .containsExactlyInAnyOrder("cost_ingestion", "cost_anomaly_detection", "zombie_scan");
        assertThat(types(shipped, "cs.scheduler.tiers.dormant.job-types")).containsExactly("cost_ingestion");
        assertThat(shipped.stringPropertyNames())
                .filteredOn(key -> key.matches("(%(dev|prod)\\.)?cs\\.scheduler\\.tiers\\..*job-types"))
                .allSatisfy(key -> assertThat(types(shipped, key)).doesNotContain("finops_analysis"));
        assertThat(shipped.stringPropertyNames()).filteredOn(key -> key.startsWith("%test.cs.scheduler.tiers."))
                .as("the tests still prove the tiers with the earlier system's types").hasSize(3);
    }

    private static java.util.List<String> types(Properties shipped, String key) {
        return Arrays.stream(shipped.getProperty(key, "").split(",")).map(String::strip).filter(t -> !t.isEmpty())
                .toList();
    }
}
