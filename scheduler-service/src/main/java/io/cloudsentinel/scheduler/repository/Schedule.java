package io.cloudsentinel.scheduler.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * One tenant's schedule of one job type as a tenant admin reads and changes it. The sweep moves {@code next_run_at}
 * and {@code last_slot_start} with its own statement (store/SweepBatch); a change made here holds the row locked, so
 * the sweep skips it until the change commits.
 */
@Entity
@Table(name = "schedules")
@IdClass(ScheduleKey.class)
public class Schedule {

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Id
    @Column(name = "job_type")
    String jobType;

    @Column(nullable = false)
    boolean enabled;

    @Column(name = "interval_override_secs")
    Integer intervalOverrideSecs;

    @Column(name = "tenant_configured", nullable = false)
    boolean tenantConfigured;

    @Column(name = "next_run_at", nullable = false)
    Instant nextRunAt;

    @Column(name = "last_slot_start")
    Instant lastSlotStart;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected Schedule() {
    }

    /** A schedule a tenant admin sets up: due at once, at the tenant's current slot. */
    public static Schedule configured(UUID tenantId, String jobType, boolean enabled, Optional<Duration> override,
            Instant currentSlot, Instant at) {
        Schedule schedule = new Schedule();
        schedule.tenantId = tenantId;
        schedule.jobType = jobType;
        schedule.nextRunAt = currentSlot;
        schedule.apply(enabled, override, at);
        return schedule;
    }

    /** A tenant admin's change; a next run later than {@code nextSlot} (a shorter interval) is pulled in to it. */
    public void configure(boolean enabled, Optional<Duration> override, Instant nextSlot, Instant at) {
        if (nextRunAt.isAfter(nextSlot)) {
            nextRunAt = nextSlot;
        }
        apply(enabled, override, at);
    }

    private void apply(boolean enabled, Optional<Duration> override, Instant at) {
        this.enabled = enabled;
        this.intervalOverrideSecs = override.map(d -> (int) d.toSeconds()).orElse(null);
        this.tenantConfigured = true;
        this.updatedAt = at;
    }

    public String jobType() {
        return jobType;
    }

    public boolean enabled() {
        return enabled;
    }

    public Optional<Duration> override() {
        return Optional.ofNullable(intervalOverrideSecs).map(Duration::ofSeconds);
    }

    /** Set up by a tenant admin: emitted whatever its tier lists. */
    public boolean tenantConfigured() {
        return tenantConfigured;
    }

    public Instant nextRunAt() {
        return nextRunAt;
    }

    public Optional<Instant> lastSlotStart() {
        return Optional.ofNullable(lastSlotStart);
    }
}
