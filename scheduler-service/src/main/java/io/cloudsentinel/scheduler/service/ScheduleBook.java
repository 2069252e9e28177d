package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.outbox.OutboxMessage;
import io.cloudsentinel.platform.outbox.OutboxWriter;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.ScheduleSlot;
import io.cloudsentinel.scheduler.SchedulerProblems;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.cloudsentinel.scheduler.repository.Schedule;
import io.cloudsentinel.scheduler.repository.ScheduleRepository;
import io.cloudsentinel.scheduler.store.ManualRuns;
import io.cloudsentinel.scheduler.store.TenantTiers;
import io.cloudsentinel.scheduler.store.TenantTiers.TenantTier;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's schedules as its API shows and changes them (Panache entities), and its manual runs (on the pool, with
 * their outbox rows): all of it inside that tenant's transactions. The tier comes from {@code cs_tier()}, the event of
 * a manual run from {@code cs_job_requested()}: the same SQL the sweep uses, so that neither has a Java copy to drift
 * from.
 */
@ApplicationScoped
public class ScheduleBook {

    public record ScheduleState(String jobType, boolean enabled, Duration interval, Optional<Duration> override,
            boolean emitted, Instant nextRunAt, Optional<Instant> lastSlotStart) {
    }

    public record TenantSchedules(TenantId tenant, Tier tier, Optional<Instant> lastActivity,
            List<ScheduleState> schedules) {
    }

    public record ManualRun(UUID jobId, String jobType, String dedupKey, Instant requestedAt, boolean created) {
    }

    private final TenantTransactions transactions;
    private final TenantTiers tenantTiers;
    private final ScheduleRepository schedules;
    private final ManualRuns manualRuns;
    private final TierPolicy tiers;
    private final SchedulerConfig config;
    private final OutboxWriter outbox;
    private final Clock clock;

    public ScheduleBook(TenantTransactions transactions, TenantTiers tenantTiers, ScheduleRepository schedules,
            ManualRuns manualRuns, TierPolicy tiers, SchedulerConfig config, OutboxWriter outbox, Clock clock) {
        this.transactions = transactions;
        this.tenantTiers = tenantTiers;
        this.schedules = schedules;
        this.manualRuns = manualRuns;
        this.tiers = tiers;
        this.config = config;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<TenantSchedules> find(TenantId tenant) {
        Instant now = clock.instant();
        return transactions.inTenant(tenant, connection -> tenantTiers.current(connection, tenant, now))
                .chain(tier -> transactions.inTenantSession(tenant, session -> schedules.ofTenant(tenant))
                        .map(found -> view(tenant, tier, found)));
    }

    /**
     * Enables or disables a job type for the tenant and sets or clears its own interval. A schedule a tenant admin
     * configured is emitted whatever the tier lists. A shorter interval pulls the next run in; a new schedule is
     * due at once. The tenant row is made first (a schedule references it), then the schedule is changed as an
     * entity.
     */
    public Uni<TenantSchedules> configure(TenantId tenant, String jobType, boolean enabled,
            Optional<Duration> override) {
        requireKnown(jobType);
        override.ifPresent(this::requireInRange);
        Instant now = clock.instant();
        return transactions.inTenant(tenant, connection -> tenantTiers.ensure(connection, tenant, now))
                .chain(tier -> {
                    Duration every = override.orElse(tiers.every(tier.tier()));
                    Instant currentSlot = ScheduleSlot.startAt(tenant, every, now);
                    return transactions.inTenantSession(tenant, session -> schedules.forChange(tenant, jobType)
                            .chain(found -> {
                                if (found != null) {
                                    found.configure(enabled, override, currentSlot.plus(every), now);
                                    return Uni.createFrom().voidItem();
                                }
                                return schedules.persist(Schedule.configured(tenant.value(), jobType, enabled,
                                        override, currentSlot, now)).replaceWithVoid();
                            })
                            .chain(schedules::flush)
                            .chain(() -> schedules.ofTenant(tenant)))
                            // two first configurations at once: the one that lost the insert changes the other's row
                            .onFailure(PgErrors::isUniqueViolation).retry().atMost(1)
                            .map(found -> view(tenant, tier, found));
                });
    }

    /**
     * Emits one run of the job type now, through the outbox in the same transaction. The idempotency key makes a
     * retried request the same run.
     */
    public Uni<ManualRun> runNow(TenantId tenant, String jobType, String idempotencyKey) {
        requireKnown(jobType);
        Instant now = clock.instant();
        UUID jobId = UUID.randomUUID();
        return transactions.inTenant(tenant, connection -> manualRuns
                .start(connection, tenant, jobType, idempotencyKey, jobId, now)
                .chain(started -> {
                    if (started.isPresent()) {
                        return outbox.append(connection, OutboxMessage.forTenant(config.topic(),
                                EventHeaders.newEvent(tenant, null), started.get().event()))
                                .replaceWith(new ManualRun(jobId, jobType, started.get().dedupKey(), now, true));
                    }
                    return manualRuns.earlier(connection, tenant, idempotencyKey).map(earlier -> {
                        if (!earlier.jobType().equals(jobType)) {
                            throw SchedulerProblems.idempotencyKeyReused(idempotencyKey, earlier.jobType());
                        }
                        return new ManualRun(earlier.jobId(), jobType, earlier.dedupKey(), earlier.requestedAt(),
                                false);
                    });
                }));
    }

    private void requireKnown(String jobType) {
        if (!tiers.knownJobTypes().contains(jobType)) {
            throw SchedulerProblems.unknownJobType(jobType, tiers.knownJobTypes());
        }
    }

    private void requireInRange(Duration interval) {
        if (interval.compareTo(config.minInterval()) < 0 || interval.compareTo(config.maxInterval()) > 0
                || interval.getNano() != 0) {
            throw SchedulerProblems.intervalOutOfRange(interval, config.minInterval(), config.maxInterval());
        }
    }

    private TenantSchedules view(TenantId tenant, TenantTier tier, List<Schedule> found) {
        List<ScheduleState> states = new ArrayList<>();
        for (Schedule schedule : found) {
            Optional<Duration> override = schedule.override();
            states.add(new ScheduleState(schedule.jobType(), schedule.enabled(),
                    override.orElse(tiers.every(tier.tier())), override,
                    schedule.tenantConfigured() || tiers.jobTypes(tier.tier()).contains(schedule.jobType()),
                    schedule.nextRunAt(), schedule.lastSlotStart()));
        }
        return new TenantSchedules(tenant, tier.tier(), tier.lastActivity(), states);
    }
}
