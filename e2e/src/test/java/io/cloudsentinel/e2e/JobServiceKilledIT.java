package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

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
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SuiteUnderTest.stack().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int t = 0; t < TENANTS; t++) {
                Caller tenant = Caller.tenantAdmin(UUID.randomUUID());
                tenants.add(tenant);
                for (int i = 0; i < JOBS_PER_TENANT; i++) {
                    ProducerRecord<String, String> record = new ProducerRecord<>("jobs.requested",
                            tenant.tenant.toString(), """
                                    {"schemaVersion":1,"tenantId":"%s","jobType":"noop","dedupKey":"load-%d",\
                                    "payload":{"holdMillis":400}}""".formatted(tenant.tenant, i));
                    record.headers().add("tenant-id", tenant.tenant.toString().getBytes(StandardCharsets.UTF_8));
                    record.headers().add("event-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
            }
            producer.flush();
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
            List<JsonNode> jobs = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Jobs.list(tenant, "&type=noop"), found -> found.size() == JOBS_PER_TENANT
                            && found.stream().allMatch(job -> job.path("state").asText().equals("COMPLETED")));
            for (JsonNode job : jobs) {
                requested.add(job.path("id").asText());
                JsonNode view = tenant.get("/api/v1/jobs/" + job.path("id").asText()).json();
                long completedAttempts = 0;
                for (JsonNode attempt : view.path("attempts")) {
                    completedAttempts += attempt.path("outcome").asText().equals("COMPLETED") ? 1 : 0;
                }
                assertThat(completedAttempts).as("completed attempts of %s", view).isEqualTo(1);
            }
        }
        // (the tenants' scheduled jobs complete too: only the requested ones are counted)
        Map<String, Set<String>> completedByJob = await().atMost(Duration.ofSeconds(60))
                .until(() -> Jobs.completedEvents(tenants), found -> found.keySet().containsAll(requested));
        assertThat(requested).hasSize(TENANTS * JOBS_PER_TENANT).allSatisfy(job -> assertThat(completedByJob.get(job))
                .as("distinct COMPLETED event ids of %s", job).hasSize(1));
    }
}
