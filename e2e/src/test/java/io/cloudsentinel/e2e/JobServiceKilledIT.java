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
 * Fault: job-service killed with SIGKILL while it runs jobs, then started again. No job is lost and none completes
 * twice: after deduplication by event id, each job has exactly one COMPLETED event on jobs.events, and its API view
 * shows one completed attempt.
 */
class JobServiceKilledIT {

    private static final int TENANTS = 5;
    private static final int JOBS_PER_TENANT = 40;

    @Test
    void aKilledJobServiceLosesNoJobAndCompletesNoneTwice() throws Exception {
        List<Caller> tenants = new ArrayList<>();
        try (JobRequests producer = new JobRequests()) {
            for (int t = 0; t < TENANTS; t++) {
                Caller tenant = Caller.tenantAdmin(UUID.randomUUID());
                tenants.add(tenant);
                for (int i = 0; i < JOBS_PER_TENANT; i++) {
                    producer.noop(tenant.tenant, "load-" + i, 400);
                }
            }
        }

        // under load: some jobs done, others running, when the process dies
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Jobs.completedEvents(tenants).size() >= 20);
        SuiteUnderTest.stack().kill("job-service");
        int completedBeforeKill = Jobs.completedEvents(tenants).size();
        assertThat(completedBeforeKill).as("the kill came while work was left").isLessThan(TENANTS * JOBS_PER_TENANT);

        SuiteUnderTest.stack().restart("job-service");

        List<String> requested = new ArrayList<>();
        for (Caller tenant : tenants) {
            requested.addAll(Jobs.awaitNoopsCompletedOnce(tenant, JOBS_PER_TENANT));
        }
        // (the tenants' scheduled jobs complete too: only the requested ones are counted)
        Map<String, Set<String>> completedByJob = await().atMost(Duration.ofSeconds(60))
                .until(() -> Jobs.completedEvents(tenants), found -> found.keySet().containsAll(requested));
        assertThat(requested).hasSize(TENANTS * JOBS_PER_TENANT).allSatisfy(job -> assertThat(completedByJob.get(job))
                .as("distinct COMPLETED event ids of %s", job).hasSize(1));
    }
}
