package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The sweep's slot ({@code cs_slot_start}, formatted by {@code cs_iso_instant} as in dedup keys) is the Java slot of
 * {@link ScheduleSlot}, which the API and activity use to place next runs: over random inputs and at the edges.
 */
@QuarkusTest
@SchedulerTestResources
class SlotSqlTest {

    private static final TenantId LOWEST_OFFSET = TenantId.parse("00000000-0000-4000-8000-000000000000");
    private static final TenantId HIGHEST_OFFSET = TenantId.parse("ffffffff-ffff-4fff-bfff-ffffffffffff");

    @Test
    void theJavaSlotIsTheSqlSlot() throws Exception {
        try (Connection connection = Db.system();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT cs_iso_instant(cs_slot_start(?::uuid, ?, ?::timestamptz))")) {
            for (int i = 0; i < 500; i++) {
                TenantId tenant = TenantId.random();
                Duration every = Duration.ofSeconds(new long[] { 3_600, 10_800, 21_600, 900 }[i % 4]);
                Instant at = Instant.ofEpochSecond(ThreadLocalRandom.current().nextLong(1_500_000_000L, 2_500_000_000L));
                assertThat(sqlSlot(query, tenant, every, at)).isEqualTo(ScheduleSlot.startAt(tenant, every, at).toString());
            }
        }
    }

    @Test
    void theyAgreeAtTheEdgesOfSlotsOffsetsAndIntervals() throws Exception {
        List<TenantId> tenants = List.of(LOWEST_OFFSET, HIGHEST_OFFSET, TenantId.random(), TenantId.random());
        List<Duration> intervals = List.of(Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1),
                Duration.ofHours(6), Duration.ofDays(7));
        Instant around = Instant.parse("2028-02-29T00:00:00Z");
        try (Connection connection = Db.system();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT cs_iso_instant(cs_slot_start(?::uuid, ?, ?::timestamptz))")) {
            int compared = 0;
            for (TenantId tenant : tenants) {
                for (Duration every : intervals) {
                    Instant start = ScheduleSlot.startAt(tenant, every, around);
                    // a slot's first second, its last microsecond, and the first second of the next slot
                    for (Instant at : edges(start, every)) {
                        assertThat(sqlSlot(query, tenant, every, at)).as("%s every %s at %s", tenant, every, at)
                                .isEqualTo(ScheduleSlot.startAt(tenant, every, at).toString());
                        compared++;
                    }
                }
            }
            assertThat(compared).isEqualTo(tenants.size() * intervals.size() * 5);
        }
    }

    private static List<Instant> edges(Instant start, Duration every) {
        List<Instant> edges = new ArrayList<>();
        edges.add(start);
        edges.add(start.plusNanos(1_000));
        edges.add(start.plus(every).minusNanos(1_000));
        edges.add(start.plus(every));
        edges.add(start.minusSeconds(1));
        return edges;
    }

    private static String sqlSlot(PreparedStatement query, TenantId tenant, Duration every, Instant at)
            throws SQLException {
        query.setString(1, tenant.toString());
        query.setLong(2, every.toSeconds());
        query.setString(3, at.toString());
        try (ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getString(1);
        }
    }
}
