package io.cloudsentinel.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * A slot of a tenant's job type: time floored to the interval, shifted by a stable per-tenant offset. The same
 * arithmetic as {@code cs_slot_start} in the migration, which the sweep uses; this one serves the API and tests.
 */
public record ScheduleSlot(TenantId tenant, String jobType, Instant start) {

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

    /** {@code {tenant}:{jobType}:{slot start ISO-8601}}, what job-service deduplicates by. */
    public String dedupKey() {
        return tenant + ":" + jobType + ":" + start;
    }
}
