package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A {@code jobs.requested} event has one shape, whoever asks for the run: the sweep for a slot and run-now for a
 * tenant admin both write {@code cs_job_requested()}. Checked over every job type, tenants at the edges of the id
 * space and idempotency keys with every character JSON must escape; a path that builds its own event differently
 * turns this red.
 */
@QuarkusTest
@SchedulerTestResources
class JobRequestedEventTest {

    private static final List<String> SLOT_FIELDS = List.of("schemaVersion", "jobId", "tenantId", "jobType",
            "dedupKey", "slotStart", "source", "payload");
    /** The same without slotStart: a manual run has no slot. */
    private static final List<String> RUN_FIELDS = SLOT_FIELDS.stream().filter(field -> !field.equals("slotStart"))
            .toList();
    private static final List<String> KEYS = List.of("!", "~", "nightly-rerun-1", "quote\"and\\backslash",
            "a:b:c{}[]", "x".repeat(200));

    @Inject
    Sweeper sweeper;
    @Inject
    TierPolicy tiers;
    @Inject
    ObjectMapper json;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        Db.truncateAll();
        TestClock.freezeAt(now);
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void theSweepAndRunNowWriteTheSameEvent() throws Exception {
        List<TenantId> tenants = new ArrayList<>(List.of(TenantId.parse("00000000-0000-4000-8000-000000000000"),
                TenantId.parse("ffffffff-ffff-4fff-bfff-ffffffffffff")));
        for (int i = 0; i < 8; i++) {
            tenants.add(TenantId.random());
        }
        Map<String, JsonNode> runsByDedupKey = new HashMap<>();
        int run = 0;
        for (TenantId tenant : tenants) {
            for (String jobType : tiers.knownJobTypes()) {
                String key = KEYS.get(run++ % KEYS.size());
                var answer = Api.as(tenant, Roles.TENANT_ADMIN).header("Idempotency-Key", key)
                        .post("/api/v1/schedules/me/" + jobType + "/run-now").then().statusCode(202).extract();
                JsonNode response = json.readTree(answer.asString());
                assertThat(response.get("dedupKey").asText()).isEqualTo(tenant + ":" + jobType + ":manual:" + key);
                runsByDedupKey.put(response.get("dedupKey").asText(), response);
                Db.execute("INSERT INTO tenants (tenant_id, last_activity_at) VALUES ('" + tenant + "', now())"
                        + " ON CONFLICT DO NOTHING");
                Db.execute("INSERT INTO schedules (tenant_id, job_type, next_run_at) VALUES ('" + tenant + "', '"
                        + jobType + "', " + Db.literal(now) + ")");
            }
        }

        await(sweeper::sweep);

        Map<String, JsonNode> events = events();
        assertThat(events).hasSize(2 * runsByDedupKey.size());
        int manual = 0;
        int swept = 0;
        for (JsonNode event : events.values()) {
            boolean byRunNow = event.path("source").asText().equals("run-now");
            // the shape first: the same fields on both paths, a slot's start only where there is a slot
            assertThat(fieldsOf(event)).as("fields of %s", event)
                    .containsExactlyInAnyOrderElementsOf(byRunNow ? RUN_FIELDS : SLOT_FIELDS);
            for (String field : List.of("jobId", "tenantId", "jobType", "dedupKey", "source")) {
                assertThat(event.get(field).getNodeType()).as(field).isEqualTo(JsonNodeType.STRING);
            }
            assertThat(event.get("schemaVersion").isInt()).isTrue();
            assertThat(event.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(UUID.fromString(event.get("jobId").asText())).isNotNull();
            assertThat(event.get("payload").isObject()).isTrue();
            assertThat(event.get("payload").isEmpty()).isTrue();

            TenantId tenant = TenantId.parse(event.get("tenantId").asText());
            String jobType = event.get("jobType").asText();
            if (byRunNow) {
                JsonNode response = runsByDedupKey.get(event.get("dedupKey").asText());
                assertThat(response).as("the API answered with the event's dedup key").isNotNull();
                assertThat(event.get("jobId").asText()).isEqualTo(response.get("jobId").asText());
                assertThat(event.get("jobType").asText()).isEqualTo(response.get("jobType").asText());
                manual++;
            } else {
                assertThat(event.get("source").asText()).isEqualTo("scheduler");
                Instant slot = ScheduleSlot.startAt(tenant, tiers.every(Tier.ACTIVE), now);
                assertThat(event.get("slotStart").asText()).isEqualTo(slot.toString());
                assertThat(event.get("dedupKey").asText()).isEqualTo(tenant + ":" + jobType + ":" + slot);
                swept++;
            }
        }
        assertThat(manual).isEqualTo(swept).isEqualTo(runsByDedupKey.size());
        assertThat(Db.count("SELECT count(*) FROM emissions e WHERE EXISTS (SELECT FROM cs_outbox o"
                + " WHERE o.payload::jsonb ->> 'jobId' = e.job_id::text)")).isEqualTo(swept);
    }

    /** Every event in the outbox by its job id. */
    private Map<String, JsonNode> events() throws SQLException, java.io.IOException {
        Map<String, JsonNode> events = new HashMap<>();
        try (Connection connection = Db.system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT payload FROM cs_outbox WHERE topic = 'jobs.requested'")) {
            while (rows.next()) {
                JsonNode event = json.readTree(rows.getString(1));
                events.put(event.get("jobId").asText(), event);
            }
        }
        return events;
    }

    private static List<String> fieldsOf(JsonNode event) {
        List<String> fields = new ArrayList<>();
        event.fieldNames().forEachRemaining(fields::add);
        return fields;
    }
}
