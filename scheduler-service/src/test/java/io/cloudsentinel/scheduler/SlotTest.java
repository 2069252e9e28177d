package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;

/** Slot arithmetic, as plain Java: a slot contains its instant, and tenants spread over the interval (SQL: SlotSqlTest). */
class SlotTest {

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
