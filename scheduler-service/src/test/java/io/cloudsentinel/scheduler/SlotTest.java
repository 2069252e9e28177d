package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;

/** Slot arithmetic: Java and SQL agree, a slot contains its instant, and tenants spread over the interval. */
@QuarkusTest
@SchedulerTestResources
class SlotTest {

    @Test
    void theJavaSlotIsTheSqlSlot() throws Exception {
        try (Connection connection = Db.system();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT cs_iso_instant(cs_slot_start(?::uuid, ?, ?::timestamptz))")) {
            for (int i = 0; i < 500; i++) {
                TenantId tenant = TenantId.random();
                Duration every = Duration.ofSeconds(new long[] { 3_600, 10_800, 21_600, 900 }[i % 4]);
                Instant at = Instant.ofEpochSecond(ThreadLocalRandom.current().nextLong(1_500_000_000L, 2_500_000_000L));
                query.setString(1, tenant.toString());
                query.setLong(2, every.toSeconds());
                query.setString(3, at.toString());
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    assertThat(rows.getString(1)).isEqualTo(ScheduleSlot.startAt(tenant, every, at).toString());
                }
            }
        }
    }

    @Test
    void aSlotContainsItsInstant() {
        for (int i = 0; i < 10_000; i++) {
            TenantId tenant = TenantId.random();
            Duration every = Duration.ofHours(1 + i % 6);
            Instant at = Instant.ofEpochSecond(ThreadLocalRandom.current().nextLong(0, 4_000_000_000L));
            Instant start = ScheduleSlot.startAt(tenant, every, at);
            assertThat(start).isBeforeOrEqualTo(at).isAfter(at.minus(every));
            assertThat(ScheduleSlot.startAt(tenant, every, start)).isEqualTo(start);
        }
    }

    @Test
    void oneHundredThousandTenantsDoNotFireInTheSameSecond() {
        Duration hour = Duration.ofHours(1);
        Map<Long, Integer> perSecond = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            perSecond.merge(ScheduleSlot.offsetSeconds(TenantId.random(), hour), 1, Integer::sum);
        }
        // 100,000 over 3,600 seconds is about 28 a second; a shared second would put them all in one
        assertThat(perSecond.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThan(80);
        assertThat(perSecond).hasSizeGreaterThan(3_500);
    }
}
