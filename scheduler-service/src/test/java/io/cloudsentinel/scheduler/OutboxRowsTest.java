package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.outbox.OutboxMessage;
import io.cloudsentinel.platform.outbox.OutboxWriter;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The sweep writes its outbox rows in its own SQL (one statement for a whole batch), everything else through
 * platform's {@link OutboxWriter}. Both must give the relay the same row: topic, key = tenant id, and headers
 * {@code {"tenant-id", "event-id"}} (the writer adds {@code traceparent} when there is one) as JSON strings that
 * {@link EventHeaders} reads back. Compared tenant by tenant, ids at both ends of the range included; a change to
 * either side's shape turns this red.
 */
@QuarkusTest
@SchedulerTestResources
class OutboxRowsTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String FROM_WRITER = "{\"writtenBy\":\"OutboxWriter\"}";
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    @Inject
    Sweeper sweeper;
    @Inject
    TenantTransactions transactions;
    @Inject
    OutboxWriter outbox;
    @Inject
    SchedulerConfig config;
    @Inject
    ObjectMapper json;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** One outbox row as the relay reads it. */
    record OutboxRow(UUID tenant, String topic, String key, String headers, Set<String> valueTypes, String payload) {
    }

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
    void theSweepsRowsAreTheRowsOutboxWriterWrites() throws Exception {
        List<TenantId> tenants = new ArrayList<>(List.of(TenantId.parse("00000000-0000-0000-0000-000000000000"),
                TenantId.parse("00000000-0000-4000-8000-000000000001"),
                TenantId.parse("ffffffff-ffff-ffff-ffff-ffffffffffff")));
        for (int i = 0; i < 100; i++) {
            tenants.add(TenantId.random());
        }
        for (TenantId tenant : tenants) {
            Db.execute("INSERT INTO tenants (tenant_id, last_activity_at) VALUES ('" + tenant + "', now())");
            Db.execute("INSERT INTO schedules (tenant_id, job_type, next_run_at) VALUES ('" + tenant
                    + "', 'cost_ingestion', " + Db.literal(now) + ")");
        }
        assertThat(await(sweeper::sweep).emitted()).isEqualTo(tenants.size());
        Set<TenantId> traced = new HashSet<>();
        for (int i = 0; i < tenants.size(); i++) {
            TenantId tenant = tenants.get(i);
            String traceparent = i % 2 == 0 ? null : TRACEPARENT;
            if (traceparent != null) {
                traced.add(tenant);
            }
            await(() -> transactions.inTenant(tenant, connection -> outbox.append(connection,
                    OutboxMessage.forTenant(config.topic(), EventHeaders.newEvent(tenant, traceparent), FROM_WRITER))));
        }

        Map<UUID, OutboxRow> swept = new HashMap<>();
        Map<UUID, OutboxRow> written = new HashMap<>();
        for (OutboxRow row : rows()) {
            (row.payload().equals(FROM_WRITER) ? written : swept).put(row.tenant(), row);
        }
        assertThat(swept).hasSize(tenants.size());
        assertThat(written).hasSize(tenants.size());

        Set<UUID> eventIds = new HashSet<>();
        for (TenantId tenant : tenants) {
            OutboxRow bySweep = swept.get(tenant.value());
            OutboxRow byWriter = written.get(tenant.value());
            assertThat(bySweep.topic()).isEqualTo(byWriter.topic()).isEqualTo(config.topic());
            assertThat(bySweep.key()).isEqualTo(byWriter.key()).isEqualTo(tenant.toString());
            assertThat(bySweep.valueTypes()).as("header values are JSON strings").containsExactly("string");
            assertThat(byWriter.valueTypes()).containsExactly("string");

            Map<String, String> sweepHeaders = json.readValue(bySweep.headers(), HEADERS);
            Map<String, String> writerHeaders = json.readValue(byWriter.headers(), HEADERS);
            Set<String> writerNames = new HashSet<>(writerHeaders.keySet());
            if (traced.contains(tenant)) {
                assertThat(writerNames.remove(EventHeaders.TRACEPARENT)).isTrue();
            }
            assertThat(sweepHeaders.keySet()).as("header names of %s", tenant).isEqualTo(writerNames)
                    .containsExactlyInAnyOrder(EventHeaders.TENANT_ID, EventHeaders.EVENT_ID);

            EventHeaders fromSweep = asTheRelaySendsThem(sweepHeaders);
            EventHeaders fromWriter = asTheRelaySendsThem(writerHeaders);
            assertThat(fromSweep.tenant()).isEqualTo(fromWriter.tenant()).isEqualTo(tenant);
            assertThat(fromSweep.traceparent()).isEmpty();
            assertThat(fromWriter.traceparent().isPresent()).isEqualTo(traced.contains(tenant));
            assertThat(eventIds.add(fromSweep.eventId())).as("a fresh event id").isTrue();
            assertThat(eventIds.add(fromWriter.eventId())).isTrue();
        }
    }

    /** What a consumer reads: the relay turns each header into a Kafka header of its UTF-8 value. */
    private static EventHeaders asTheRelaySendsThem(Map<String, String> headers) throws Exception {
        RecordHeaders record = new RecordHeaders();
        headers.forEach((name, value) -> record.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return EventHeaders.readFrom(record);
    }

    private static List<OutboxRow> rows() throws Exception {
        List<OutboxRow> rows = new ArrayList<>();
        try (Connection connection = Db.system();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("""
                        SELECT tenant_id, topic, record_key, headers::text,
                               (SELECT array_agg(DISTINCT jsonb_typeof(value)) FROM jsonb_each(headers)), payload
                          FROM cs_outbox
                        """)) {
            while (result.next()) {
                rows.add(new OutboxRow((UUID) result.getObject(1), result.getString(2), result.getString(3),
                        result.getString(4), Set.of((String[]) result.getArray(5).getArray()), result.getString(6)));
            }
        }
        return rows;
    }
}
