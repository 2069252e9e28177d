package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * Outside tests no tier emits a job type on its own: a type is turned on only once job-service has its real handler,
 * so that jobs.dlq does not fill every hour with types nothing runs.
 */
class DefaultJobTypesTest {

    @Test
    void theShippedConfigurationSchedulesNoJobTypeOutsideTests() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = DefaultJobTypesTest.class.getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        assertThat(shipped.stringPropertyNames())
                .filteredOn(key -> key.matches("(%(dev|prod)\\.)?cs\\.scheduler\\.tiers\\..*job-types"))
                .isEmpty();
        assertThat(shipped.stringPropertyNames()).filteredOn(key -> key.startsWith("%test.cs.scheduler.tiers."))
                .as("the tests still prove the tiers with the earlier system's types").hasSize(3);
    }
}
