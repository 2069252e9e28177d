package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Fault: the Kafka broker stopped and started again while jobs are requested and run. Jobs go on through the API and
 * the database meanwhile; once the broker is back the outbox drains: every job's events arrive, and after
 * deduplication by event id each job has exactly one COMPLETED event.
 */
class BrokerRestartIT {

    private static final int TENANTS = 3;
    private static final int JOBS_PER_TENANT_AND_PHASE = 15;

    @Test
    void theOutboxDrainsAfterTheBrokerComesBackWithNothingLostOrDuplicated() throws Exception {
        List<Caller> tenants = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            tenants.add(Caller.tenantAdmin(UUID.randomUUID()));
        }
        requestJobs(tenants, jobs);
        await().atMost(Duration.ofSeconds(60)).until(() -> Jobs.completedEvents(tenants).size() >= 5);

        SuiteUnderTest.stack().stopKafka();
        try {
            requestJobs(tenants, jobs);
            for (Caller tenant : tenants) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> Jobs.list(tenant, "&type=noop"), found -> found.size() == 2
                                * JOBS_PER_TENANT_AND_PHASE && found.stream()
                                        .allMatch(job -> job.path("state").asText().equals("COMPLETED")));
            }
            assertThat(Jobs.completedEvents(tenants).keySet()).as("events published while the broker was away")
                    .doesNotContainAnyElementsOf(jobs.subList(jobs.size() - TENANTS * JOBS_PER_TENANT_AND_PHASE,
                            jobs.size()));
        } finally {
            SuiteUnderTest.stack().startKafka();
        }

        Map<String, Set<String>> completed = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration
                .ofMillis(500)).until(() -> Jobs.completedEvents(tenants), found -> found.keySet().containsAll(jobs));
        // (the tenants' scheduled jobs complete too: only the requested ones are counted)
        assertThat(jobs).allSatisfy(job -> assertThat(completed.get(job)).as("distinct COMPLETED event ids of %s", job)
                .hasSize(1));
    }

    private static void requestJobs(List<Caller> tenants, List<String> jobs) {
        for (Caller tenant : tenants) {
            for (int i = 0; i < JOBS_PER_TENANT_AND_PHASE; i++) {
                jobs.add(Jobs.requestNoop(tenant, 200));
            }
        }
    }
}
