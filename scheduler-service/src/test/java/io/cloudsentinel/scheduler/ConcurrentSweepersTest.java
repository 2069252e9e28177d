package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.waitAtMost;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.outbox.OutboxRelay;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.cloudsentinel.testing.KafkaServer;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Three sweepers, each with its own connection pool, run at once over 10,000 due tenants for five slots: every
 * (tenant, job type, slot) is emitted exactly once and reaches Kafka exactly once after deduplication by event id.
 */
@QuarkusTest
@SchedulerTestResources
class ConcurrentSweepersTest {

    private static final int TENANTS = 10_000;
    private static final int SLOTS = 5;

    @Inject
    OutboxRelay relay;
    @Inject
    ObjectMapper json;

    private final List<Pool> pools = new ArrayList<>();

    @BeforeEach
    void clean() {
        Db.truncateAll();
        TestClock.reset();
    }

    @AfterEach
    void closePools() {
        pools.forEach(pool -> await(pool::close));
        TestClock.reset();
    }

    @Test
    void threeSweepersEmitEachSlotOfEachTenantExactlyOnce() throws Exception {
        String topic = "jobs.requested.test-" + UUID.randomUUID();
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Db.dueTenants(TENANTS, "cost_ingestion", Db.literal(start), 3600, Db.literal(start));
        List<Sweeper> sweepers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Pool pool = Sweepers.newPool(2);
            pools.add(pool);
            sweepers.add(Sweepers.onOwnPool(pool, 500, topic));
        }

        for (int slot = 0; slot < SLOTS; slot++) {
            TestClock.freezeAt(start.plus(Duration.ofHours(slot)));
            List<CompletableFuture<Sweeper.SweepResult>> running = sweepers.stream()
                    .map(sweeper -> CompletableFuture.supplyAsync(() -> await(sweeper::sweep))).toList();
            long emitted = 0;
            for (CompletableFuture<Sweeper.SweepResult> sweep : running) {
                emitted += sweep.join().emitted(); // a deadlock or any other error escaping would throw here
            }
            assertThat(emitted).as("emissions of slot %d", slot).isEqualTo(TENANTS);
        }

        assertThat(Db.count("SELECT count(*) FROM emissions")).isEqualTo((long) TENANTS * SLOTS);
        assertThat(Db.count("SELECT count(DISTINCT (tenant_id, slot_start)) FROM emissions"))
                .isEqualTo((long) TENANTS * SLOTS);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox WHERE topic = '" + topic + "'"))
                .isEqualTo((long) TENANTS * SLOTS);

        waitAtMost(Duration.ofMinutes(2)).pollInSameThread().pollDelay(Duration.ZERO)
                .alias("the relay drained the outbox").until(() -> await(relay::drain) == 0);
        List<ConsumerRecord<String, String>> records = Topics.readAll(KafkaServer.shared().bootstrapServers(), topic,
                TENANTS * SLOTS, Duration.ofSeconds(120));
        Map<String, ConsumerRecord<String, String>> byEventId = new HashMap<>();
        records.forEach(record -> byEventId.putIfAbsent(Topics.header(record, EventHeaders.EVENT_ID), record));
        Map<String, Integer> perDedupKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : byEventId.values()) {
            JsonNode event = json.readTree(record.value());
            assertThat(record.key()).isEqualTo(event.get("tenantId").asText());
            assertThat(Topics.header(record, EventHeaders.TENANT_ID)).isEqualTo(record.key());
            perDedupKey.merge(event.get("dedupKey").asText(), 1, Integer::sum);
        }
        assertThat(perDedupKey).hasSize(TENANTS * SLOTS);
        assertThat(perDedupKey.values()).containsOnly(1);
    }
}
