package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.kafka.Topics;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Crossing the soft percentage and exhaustion are announced once per window period, through the outbox. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class BudgetAlertsTest {

    @Test
    void softThresholdAndExhaustionAreAnnouncedOncePerWindow() {
        TenantId tenant = TenantId.random();
        // 30,000 micro-USD, alert at 50%: each call reserves 7,500
        Api.budget(tenant, "{\"monthlyLimitMicros\": 30000, \"softAlertPercent\": 50}");

        authorize(tenant, 201); // 25%
        authorize(tenant, 201); // 50%: soft threshold
        authorize(tenant, 201); // 75%: nothing new
        authorize(tenant, 201); // 100%: exhausted
        authorize(tenant, 402); // denied: already announced
        authorize(tenant, 402);

        List<ConsumerRecord<String, String>> alerts = alertsFor(tenant, 2);
        assertThat(alerts).extracting(r -> JsonPath.from(r.value()).getString("threshold"))
                .containsExactly("SOFT_THRESHOLD", "EXHAUSTED");
        JsonPath soft = JsonPath.from(alerts.get(0).value());
        assertThat(soft.getInt("schemaVersion")).isEqualTo(1);
        assertThat(soft.getString("window")).isEqualTo("MONTH");
        assertThat(soft.getLong("reservedMicros")).isEqualTo(15_000);
        assertThat(soft.getLong("limitMicros")).isEqualTo(30_000);
        assertThat(alerts).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(tenant.toString());
            assertThat(new String(record.headers().lastHeader(EventHeaders.TENANT_ID).value(),
                    StandardCharsets.UTF_8)).isEqualTo(tenant.toString());
            assertThat(record.headers().lastHeader(EventHeaders.EVENT_ID)).isNotNull();
        });
    }

    @Test
    void aDenialAnnouncesExhaustionOfTheBlockingWindowEvenBelowTheLimit() {
        TenantId tenant = TenantId.random();
        Api.budget(tenant, "{\"monthlyLimitMicros\": 10000, \"softAlertPercent\": 100}");

        authorize(tenant, 201); // 7,500 of 10,000
        authorize(tenant, 402); // would need 15,000

        List<ConsumerRecord<String, String>> alerts = alertsFor(tenant, 1);
        assertThat(alerts).extracting(r -> JsonPath.from(r.value()).getString("threshold"))
                .containsExactly("EXHAUSTED");
        // the denied call left nothing behind but its alert
        assertThat(Api.as(tenant).get("/api/v1/budgets/me").then().extract().jsonPath().getLong("reservedMicros"))
                .isEqualTo(7_500);
    }

    private static void authorize(TenantId tenant, int status) {
        Api.as(tenant).body(Api.authorization("gpt-4o", 1000, 500, UUID.randomUUID().toString()))
                .post("/api/v1/llm/authorizations").then().statusCode(status);
    }

    /** Reads budget.alerts from the start for this tenant; waits a little longer to see that no more arrive. */
    private static List<ConsumerRecord<String, String>> alertsFor(TenantId tenant, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaServer.shared().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "alerts-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.BUDGET_ALERTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.key().equals(tenant.toString())) {
                        records.add(record);
                    }
                });
                if (records.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return records;
    }
}
