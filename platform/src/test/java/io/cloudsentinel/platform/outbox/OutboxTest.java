package io.cloudsentinel.platform.outbox;

import static io.cloudsentinel.platform.Reactive.await;
import static io.cloudsentinel.platform.Reactive.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantIsolationMetrics;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Events written with the business rows reach Kafka after the commit, in order per key, and never without it. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class OutboxTest {

    @Inject
    TenantTransactions transactions;
    @Inject
    OutboxWriter writer;
    @Inject
    OutboxRelay relay;
    @Inject
    OutboxConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry registry;
    @Inject
    Pool pool;
    @Inject
    TenantIsolationMetrics isolationMetrics;

    private OutboxRows rows;

    @BeforeEach
    void rows() {
        rows = new OutboxRows(transactions, writer);
    }

    @Test
    void eventsOfACommittedTransactionArePublishedWithTheirHeadersAndDeleted() {
        String topic = "outbox-" + UUID.randomUUID();
        TenantId tenant = TenantId.random();
        List<EventHeaders> sent = new ArrayList<>();
        await(() -> transactions.inTenant(tenant, connection -> {
            Uni<Void> chain = connection.preparedQuery("INSERT INTO notes (tenant_id, body) VALUES ($1, $2)")
                    .execute(Tuple.of(tenant.value(), "business row")).replaceWithVoid();
            for (int i = 0; i < 3; i++) {
                EventHeaders headers = EventHeaders.newEvent(tenant, null);
                sent.add(headers);
                String payload = "{\"n\":" + i + "}";
                chain = chain.chain(() -> writer.append(connection, OutboxMessage.forTenant(topic, headers, payload)));
            }
            return chain;
        }));

        drainAll();

        List<ConsumerRecord<String, String>> records = consume(topic, 3);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertThat(records).extracting(ConsumerRecord::key).containsOnly(tenant.toString());
        assertThat(records).extracting(r -> header(r, EventHeaders.EVENT_ID))
                .containsExactly(sent.stream().map(h -> h.eventId().toString()).toArray(String[]::new));
        assertThat(records).extracting(r -> header(r, EventHeaders.TENANT_ID)).containsOnly(tenant.toString());
        assertThat(rowsFor(topic)).isZero();
    }

    @Test
    void anEventWrittenOnAVertxConnectionKeepsItsHeaders() {
        String topic = "outbox-" + UUID.randomUUID();
        TenantId tenant = TenantId.random();
        EventHeaders headers = EventHeaders.newEvent(tenant, null);
        await(() -> transactions.onPool(pool).inTenant(tenant,
                connection -> writer.append(connection, OutboxMessage.forTenant(topic, headers, "{\"n\":1}"))));

        drainAll();

        List<ConsumerRecord<String, String>> records = consume(topic, 1);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("{\"n\":1}");
        assertThat(records).extracting(r -> header(r, EventHeaders.EVENT_ID)).containsExactly(headers.eventId().toString());
        assertThat(records).extracting(r -> header(r, EventHeaders.TENANT_ID)).containsExactly(tenant.toString());
    }

    @Test
    void aRolledBackTransactionPublishesNothing() {
        String topic = "outbox-" + UUID.randomUUID();
        TenantId tenant = TenantId.random();

        failureOf(() -> transactions.inTenant(tenant, connection -> writer.append(connection,
                OutboxMessage.forTenant(topic, EventHeaders.newEvent(tenant, null), "{}"))
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("business rule refused")))));

        assertThat(rowsFor(topic)).isZero();
    }

    @Test
    void whileTheBrokerIsUnreachableRowsWaitWithTheAttemptNotedThenDrain() {
        String topic = "outbox-" + UUID.randomUUID();
        TenantId tenant = TenantId.random();
        await(() -> transactions.inTenant(tenant, connection -> writer.append(connection,
                OutboxMessage.forTenant(topic, EventHeaders.newEvent(tenant, null), "{\"waited\":true}"))));
        OutboxRelay cutOff = new OutboxRelay(transactions, config, json, registry,
                new OutboxPublisher("127.0.0.1:1", Duration.ofSeconds(2)));

        Throwable failure = failureOf(cutOff::relayBatch);

        assertThat(failure).isNotNull();
        assertThat(rowsFor(topic)).isEqualTo(1);
        assertThat(attemptsFor(topic)).isEqualTo(1);
        drainAll();
        assertThat(consume(topic, 1)).extracting(ConsumerRecord::value).containsExactly("{\"waited\":true}");
        assertThat(rowsFor(topic)).isZero();
    }

    @Test
    void concurrentRelaysKeepTheOrderOfEachKey() {
        String topic = "outbox-" + UUID.randomUUID();
        List<TenantId> tenants = List.of(TenantId.random(), TenantId.random(), TenantId.random());
        for (int i = 0; i < 60; i++) {
            TenantId tenant = tenants.get(i % tenants.size());
            int sequence = i / tenants.size();
            await(() -> transactions.inTenant(tenant, connection -> writer.append(connection,
                    OutboxMessage.forTenant(topic, EventHeaders.newEvent(tenant, null), Integer.toString(sequence)))));
        }
        OutboxRelay second = new OutboxRelay(transactions, config, json, registry,
                new OutboxPublisher(KafkaServer.shared().bootstrapServers(), Duration.ofSeconds(15)));

        while (rowsFor(topic) > 0) {
            CompletableFuture<Long> one = CompletableFuture.supplyAsync(() -> await(relay::relayBatch));
            CompletableFuture<Long> two = CompletableFuture.supplyAsync(() -> await(second::relayBatch));
            one.join();
            two.join();
        }

        Map<String, List<Integer>> perKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : consume(topic, 60)) {
            perKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Integer.parseInt(record.value()));
        }
        assertThat(perKey).hasSize(3);
        perKey.values().forEach(sequence -> assertThat(sequence).isSorted().hasSize(20));
    }

    /**
     * A row over the producer's max.request.size (1 MiB) is refused by the client for good: it is parked with its
     * error, its key's later row waits behind it, another key's row is published, and the parked row is exported.
     */
    @Test
    void aRowTheBrokerRefusesForGoodIsParkedAndHoldsOnlyItsKey() {
        String topic = "outbox-" + UUID.randomUUID();
        TenantId stuck = TenantId.random();
        TenantId flowing = TenantId.random();
        rows.append(stuck, topic, "\"" + "x".repeat(2_000_000) + "\"");
        rows.append(stuck, topic, "\"after\"");
        rows.append(flowing, topic, "\"free\"");

        await(relay::scheduled);

        assertThat(consume(topic, 1)).extracting(ConsumerRecord::value).containsExactly("\"free\"");
        assertThat(rows.count("SELECT count(*) FROM cs_outbox WHERE topic = '" + topic + "' AND parked_at IS NOT NULL"
                + " AND attempts = 1 AND last_error LIKE 'RecordTooLargeException%'")).isEqualTo(1);
        assertThat(rows.count("SELECT count(*) FROM cs_outbox WHERE topic = '" + topic + "' AND parked_at IS NULL"
                + " AND payload = '\"after\"'")).as("held behind it, not sent").isEqualTo(1);
        assertThat(registry.get("cs.outbox.parked").gauge().value()).isGreaterThanOrEqualTo(1);

        await(relay::drain);
        assertThat(rows.count("SELECT count(*) FROM cs_outbox WHERE topic = '" + topic + "'")).isEqualTo(2);
    }

    /**
     * A relay holds a key's oldest row (its send is held back); another relay's batch leaves that key's newer rows
     * out and sends the other keys', and the held row is still the first of its key on the topic.
     */
    @Test
    void aKeysNewerRowsWaitWhileAnotherRelayHoldsItsOlderOne() throws Exception {
        String topic = "outbox-" + UUID.randomUUID();
        TenantId held = TenantId.random();
        TenantId free = TenantId.random();
        for (int sequence = 0; sequence < 3; sequence++) {
            for (TenantId tenant : List.of(held, free)) {
                String value = Integer.toString(sequence);
                await(() -> transactions.inTenant(tenant, connection -> writer.append(connection,
                        OutboxMessage.forTenant(topic, EventHeaders.newEvent(tenant, null), value))));
            }
        }
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OutboxPublisher gated = new OutboxPublisher(KafkaServer.shared().bootstrapServers(), Duration.ofSeconds(15)) {
            @Override
            public CompletableFuture<List<Delivery>> send(List<Row> rows) {
                sending.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.send(rows);
            }
        };
        OutboxRelay holding = new OutboxRelay(transactions, batchesOf(1), json, registry, gated);
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> await(holding::relayBatch));
        sending.await();

        long sentMeanwhile = await(relay::relayBatch);
        release.countDown();
        first.join();
        drainAll();

        assertThat(sentMeanwhile).as("only the free key's three rows").isEqualTo(3);
        Map<String, List<Integer>> perKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : consume(topic, 6)) {
            perKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Integer.parseInt(record.value()));
        }
        assertThat(perKey.get(held.toString())).containsExactly(0, 1, 2);
        assertThat(perKey.get(free.toString())).containsExactly(0, 1, 2);
        gated.close();
    }

    /** The test's outbox settings with another batch size. */
    private OutboxConfig batchesOf(int size) {
        return new OutboxConfig() {
            @Override
            public boolean enabled() {
                return config.enabled();
            }

            @Override
            public Duration pollInterval() {
                return config.pollInterval();
            }

            @Override
            public int batchSize() {
                return size;
            }

            @Override
            public int parkAfterAttempts() {
                return config.parkAfterAttempts();
            }

            @Override
            public int maxBatchesPerRun() {
                return config.maxBatchesPerRun();
            }

            @Override
            public Duration maxBackoff() {
                return config.maxBackoff();
            }

            @Override
            public Duration sendTimeout() {
                return config.sendTimeout();
            }

            @Override
            public String bootstrapServers() {
                return config.bootstrapServers();
            }
        };
    }

    private void drainAll() {
        await(relay::drain);
    }

    private long rowsFor(String topic) {
        return await(() -> transactions.asSystem(new SystemTask("outbox-test"), connection -> connection
                .preparedQuery("SELECT count(*) FROM cs_outbox WHERE topic = $1")
                .execute(Tuple.of(topic)).map(rows -> rows.iterator().next().getLong(0))));
    }

    private int attemptsFor(String topic) {
        return await(() -> transactions.asSystem(new SystemTask("outbox-test"), connection -> connection
                .preparedQuery("SELECT max(attempts) FROM cs_outbox WHERE topic = $1")
                .execute(Tuple.of(topic)).map(rows -> rows.iterator().next().getInteger(0))));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaServer.shared().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
