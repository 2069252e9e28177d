package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.waitAtMost;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.outbox.OutboxConfig;
import io.cloudsentinel.platform.outbox.OutboxPublisher;
import io.cloudsentinel.platform.outbox.OutboxRelay;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.cloudsentinel.testing.KafkaBrokerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The broker is stopped for 30 seconds while slots keep coming due: the sweeps go on, the outbox holds what they
 * emitted, and once the broker is back everything drains, nothing lost and each slot once after deduplication.
 */
@QuarkusTest
@SchedulerTestResources
class KafkaOutageTest {

    private static final int TENANTS = 200;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Inject
    Sweeper sweeper;
    @Inject
    TenantTransactions transactions;
    @Inject
    OutboxConfig outboxConfig;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry registry;

    private KafkaBrokerProcess broker;

    @BeforeEach
    void setUp() throws Exception {
        Db.truncateAll();
        broker = KafkaBrokerProcess.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        broker.close();
        TestClock.reset();
    }

    @Test
    void emissionsWaitInTheOutboxWhileTheBrokerIsDownThenDrain() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Db.dueTenants(TENANTS, "cost_ingestion", Db.literal(start), 3600, Db.literal(start));
        OutboxRelay relay = new OutboxRelay(transactions, outboxConfig, json, registry,
                new OutboxPublisher(broker.bootstrapServers(), Duration.ofSeconds(3)));
        TestClock.freezeAt(start);
        assertThat(await(sweeper::sweep).emitted()).isEqualTo(TENANTS);
        await(relay::drain);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();

        broker.stop();
        // for the whole outage a new slot comes due again and again: each is swept into the outbox, the relay fails
        AtomicInteger slots = new AtomicInteger();
        AtomicInteger failedRelays = new AtomicInteger();
        waitAtMost(OUTAGE.plus(Duration.ofMinutes(1))).during(OUTAGE).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).pollInSameThread()
                .untilAsserted(() -> {
                    TestClock.freezeAt(start.plus(Duration.ofHours(slots.incrementAndGet())));
                    assertThat(await(sweeper::sweep).emitted()).as("sweeps go on without the broker")
                            .isEqualTo(TENANTS);
                    try {
                        await(relay::relayBatch);
                    } catch (RuntimeException expected) {
                        failedRelays.incrementAndGet();
                    }
                });
        int slot = slots.get();
        assertThat(failedRelays.get()).isPositive();
        long waiting = Db.count("SELECT count(*) FROM cs_outbox");
        assertThat(waiting).as("the outbox holds every emission of the outage").isEqualTo((long) TENANTS * slot);
        assertThat(Db.count("SELECT max(attempts) FROM cs_outbox")).isPositive();

        broker.startAgain();
        // the relay reconnects in its own time: drain until nothing is left, a failed drain is simply tried again
        waitAtMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).pollInSameThread().ignoreExceptions()
                .untilAsserted(() -> {
                    await(relay::drain);
                    assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
                });
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();

        int expected = TENANTS * (slot + 1);
        List<ConsumerRecord<String, String>> records = Topics.readAll(broker.bootstrapServers(), "jobs.requested",
                expected, Duration.ofSeconds(60));
        Map<String, String> dedupKeyByEventId = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            dedupKeyByEventId.put(Topics.header(record, EventHeaders.EVENT_ID),
                    json.readTree(record.value()).get("dedupKey").asText());
        }
        assertThat(dedupKeyByEventId).hasSize(expected);
        assertThat(dedupKeyByEventId.values()).doesNotHaveDuplicates();
        assertThat(Db.count("SELECT count(*) FROM emissions")).isEqualTo(expected);
        UUID anyTenant = UUID.fromString(records.get(0).key());
        assertThat(dedupKeyByEventId.values().stream().filter(key -> key.startsWith(anyTenant.toString())))
                .hasSize(slot + 1);
    }
}
