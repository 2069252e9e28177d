package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Requests report their tenant's activity to tenants.activity, at most once per tenant per minute. */
@QuarkusTest
@WithTestResource(ActivityTestResource.class)
class ActivityEventsTest {

    @Test
    void manyRequestsOfATenantWithinAMinuteAreOneEvent() throws Exception {
        TenantId busy = TenantId.random();
        TenantId quiet = TenantId.random();
        Instant before = Instant.now();
        for (int i = 0; i < 20; i++) {
            given().auth().oauth2(Tokens.of(busy)).get("/api/v1/budgets/me").then().statusCode(200);
        }
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(Tokens.of(quiet)).get("/api/v1/budgets/me").then().statusCode(200);
        }

        List<ConsumerRecord<String, String>> events = eventsOf(List.of(busy, quiet), Duration.ofSeconds(20));

        assertThat(events).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(busy.toString(),
                quiet.toString());
        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<String, String> event : events) {
            JsonNode value = json.readTree(event.value());
            assertThat(value.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(value.get("tenantId").asText()).isEqualTo(event.key());
            assertThat(Instant.parse(value.get("occurredAt").asText())).isAfterOrEqualTo(before);
            assertThat(header(event, EventHeaders.TENANT_ID)).isEqualTo(event.key());
            assertThat(UUID.fromString(header(event, EventHeaders.EVENT_ID))).isNotNull();
        }
    }

    /** Every event of the tenants, reading until the patience is used up (later duplicates would show). */
    private static List<ConsumerRecord<String, String>> eventsOf(List<TenantId> tenants, Duration patience) {
        List<String> keys = tenants.stream().map(TenantId::toString).toList();
        List<ConsumerRecord<String, String>> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaServer.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "activity-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("tenants.activity"));
            long deadline = System.nanoTime() + patience.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keys.contains(record.key())) {
                        events.add(record);
                    }
                }
                if (events.size() >= tenants.size() && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return events;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
