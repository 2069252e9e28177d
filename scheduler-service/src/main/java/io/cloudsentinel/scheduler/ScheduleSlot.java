package io.cloudsentinel.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * Slots of a tenant's job type: time floored to the interval, shifted by a stable per-tenant offset. The same
 * arithmetic as {@code cs_slot_start} in the migration, which the sweep uses (SlotSqlTest holds them equal); this one
 * serves the API and activity, which place a schedule's next run. Dedup keys are the event's, made in SQL.
 */
public final class ScheduleSlot {

    private ScheduleSlot() {
    }

    /** The tenant's offset inside the interval: the id's first 32 bits modulo the interval. */
    public static long offsetSeconds(TenantId tenant, Duration every) {
        UUID id = tenant.value();
        return (id.getMostSignificantBits() >>> 32) % every.toSeconds();
    }

    /** The start of the slot that contains the instant. */
    public static Instant startAt(TenantId tenant, Duration every, Instant at) {
        long interval = every.toSeconds();
        long offset = offsetSeconds(tenant, every);
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond() - offset, interval) * interval + offset);
    }
}
