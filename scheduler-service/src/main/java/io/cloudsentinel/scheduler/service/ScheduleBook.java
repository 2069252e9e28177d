package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.outbox.OutboxMessage;
import io.cloudsentinel.platform.outbox.OutboxWriter;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.ScheduleSlot;
import io.cloudsentinel.scheduler.SchedulerProblems;
import io.cloudsentinel.scheduler.Tier;
import io.cloudsentinel.scheduler.TierPolicy;
import io.cloudsentinel.scheduler.config.SchedulerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A tenant's schedules as its API shows and changes them, and its manual runs: all of it inside that tenant's
 * transactions. The tier comes from {@code cs_tier()}, the event of a manual run from {@code cs_job_requested()}: the
 * same SQL the sweep uses, so that neither has a Java copy to drift from.
 */
@ApplicationScoped
public class ScheduleBook {

    /**
     * $1 tenant, $2 now, $3/$4 active/normal thresholds in seconds. One row even for a tenant the scheduler has not
     * seen: never active, so dormant.
     */
    private static final String TENANT = """
            SELECT last_activity_at, cs_tier(last_activity_at, $2::timestamptz, $3::float8, $4::float8) AS tier
              FROM (VALUES ((SELECT last_activity_at FROM tenants WHERE tenant_id = $1))) AS tenant (last_activity_at)
            """;
    /** The same, creating a tenant the scheduler has not seen yet (with no activity: dormant). */
    private static final String ENSURE_TENANT = """
            INSERT INTO tenants (tenant_id) VALUES ($1)
            ON CONFLICT (tenant_id) DO UPDATE SET last_activity_at = tenants.last_activity_at
            RETURNING last_activity_at, cs_tier(last_activity_at, $2::timestamptz, $3::float8, $4::float8) AS tier
            """;
    private static final String CONFIGURE = """
            INSERT INTO schedules (tenant_id, job_type, enabled, interval_override_secs, tenant_configured,
                                   next_run_at)
            VALUES ($1, $2, $3, $4, true, $5)
            ON CONFLICT (tenant_id, job_type) DO UPDATE
               SET enabled = excluded.enabled,
                   interval_override_secs = excluded.interval_override_secs,
                   tenant_configured = true,
                   next_run_at = least(schedules.next_run_at, $6),
                   updated_at = now()
            """;
    private static final String SCHEDULES = """
            SELECT job_type, enabled, interval_override_secs, tenant_configured, next_run_at, last_slot_start
              FROM schedules
             WHERE tenant_id = $1
             ORDER BY job_type
            """;
    /** $1 tenant, $2 job type, $3 idempotency key, $4 job id, $5 now: the event only when this request made the run. */
    private static final String START_RUN = """
            WITH started AS (
                INSERT INTO manual_runs (tenant_id, job_type, idempotency_key, job_id, requested_at)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                RETURNING cs_job_requested(job_id, tenant_id, job_type, NULL, idempotency_key) AS event
            )
            SELECT event::text AS event, event ->> 'dedupKey' AS dedup_key FROM started
            """;
    private static final String EARLIER_RUN = """
            SELECT job_type, job_id, requested_at,
                   cs_job_requested(job_id, tenant_id, job_type, NULL, idempotency_key) ->> 'dedupKey' AS dedup_key
              FROM manual_runs
             WHERE tenant_id = $1 AND idempotency_key = $2
            """;

    public record ScheduleState(String jobType, boolean enabled, Duration interval, Optional<Duration> override,
            boolean emitted, Instant nextRunAt, Optional<Instant> lastSlotStart) {
    }

    public record TenantSchedules(TenantId tenant, Tier tier, Optional<Instant> lastActivity,
            List<ScheduleState> schedules) {
    }

    public record ManualRun(UUID jobId, String jobType, String dedupKey, Instant requestedAt, boolean created) {
    }

    /** The tenant's activity and the tier it means now, as cs_tier() says. */
    private record Activity(Optional<Instant> last, Tier tier) {

        static Activity of(Row row) {
            return new Activity(Optional.ofNullable(row.getOffsetDateTime("last_activity_at"))
                    .map(OffsetDateTime::toInstant), Tier.valueOf(row.getString("tier")));
        }
    }

    private final TenantTransactions transactions;
    private final TierPolicy tiers;
    private final SchedulerConfig config;
    private final OutboxWriter outbox;
    private final Clock clock;

    public ScheduleBook(TenantTransactions transactions, TierPolicy tiers, SchedulerConfig config, OutboxWriter outbox,
            Clock clock) {
        this.transactions = transactions;
        this.tiers = tiers;
        this.config = config;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<TenantSchedules> find(TenantId tenant) {
        Instant now = clock.instant();
        return transactions.inTenant(tenant, connection -> connection.preparedQuery(TENANT)
                .execute(tierArguments(tenant, now))
                .chain(rows -> schedules(connection, tenant, Activity.of(rows.iterator().next()))));
    }

    /**
     * Enables or disables a job type for the tenant and sets or clears its own interval. A schedule a tenant admin
     * configured is emitted whatever the tier lists. A shorter interval pulls the next run in; a new schedule is
     * due at once.
     */
    public Uni<TenantSchedules> configure(TenantId tenant, String jobType, boolean enabled,
            Optional<Duration> override) {
        requireKnown(jobType);
        override.ifPresent(this::requireInRange);
        Instant now = clock.instant();
        return transactions.inTenant(tenant, connection -> connection.preparedQuery(ENSURE_TENANT)
                .execute(tierArguments(tenant, now))
                .chain(rows -> {
                    Activity activity = Activity.of(rows.iterator().next());
                    Duration every = override.orElse(tiers.every(activity.tier()));
                    OffsetDateTime currentSlot = ScheduleSlot.startAt(tenant, every, now).atOffset(ZoneOffset.UTC);
                    return connection.preparedQuery(CONFIGURE).execute(Tuple.of(tenant.value(), jobType, enabled,
                            override.map(d -> (int) d.toSeconds()).orElse(null), currentSlot,
                            currentSlot.plus(every)))
                            .chain(() -> schedules(connection, tenant, activity));
                }));
    }

    /**
     * Emits one run of the job type now, through the outbox in the same transaction. The idempotency key makes a
     * retried request the same run.
     */
    public Uni<ManualRun> runNow(TenantId tenant, String jobType, String idempotencyKey) {
        requireKnown(jobType);
        Instant now = clock.instant();
        UUID jobId = UUID.randomUUID();
        return transactions.inTenant(tenant, connection -> connection.preparedQuery(START_RUN)
                .execute(Tuple.of(tenant.value(), jobType, idempotencyKey, jobId, now.atOffset(ZoneOffset.UTC)))
                .chain(started -> {
                    if (started.size() == 1) {
                        Row row = started.iterator().next();
                        ManualRun run = new ManualRun(jobId, jobType, row.getString("dedup_key"), now, true);
                        return outbox.append(connection, OutboxMessage.forTenant(config.topic(),
                                EventHeaders.newEvent(tenant, null), row.getString("event"))).replaceWith(run);
                    }
                    return connection.preparedQuery(EARLIER_RUN).execute(Tuple.of(tenant.value(), idempotencyKey))
                            .map(rows -> {
                                Row first = rows.iterator().next();
                                if (!first.getString("job_type").equals(jobType)) {
                                    throw SchedulerProblems.idempotencyKeyReused(idempotencyKey,
                                            first.getString("job_type"));
                                }
                                return new ManualRun(first.getUUID("job_id"), jobType, first.getString("dedup_key"),
                                        first.getOffsetDateTime("requested_at").toInstant(), false);
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

    private Tuple tierArguments(TenantId tenant, Instant now) {
        return Tuple.of(tenant.value(), now.atOffset(ZoneOffset.UTC), tiers.activeWithinSeconds(),
                tiers.normalWithinSeconds());
    }

    private Uni<TenantSchedules> schedules(SqlConnection connection, TenantId tenant, Activity activity) {
        Tier tier = activity.tier();
        return connection.preparedQuery(SCHEDULES).execute(Tuple.of(tenant.value()))
                .map(rows -> {
                    List<ScheduleState> schedules = new ArrayList<>();
                    for (Row row : rows) {
                        Optional<Duration> override = Optional
                                .ofNullable(row.getInteger("interval_override_secs"))
                                .map(Duration::ofSeconds);
                        String jobType = row.getString("job_type");
                        schedules.add(new ScheduleState(jobType, row.getBoolean("enabled"),
                                override.orElse(tiers.every(tier)), override,
                                row.getBoolean("tenant_configured")
                                        || tiers.jobTypes(tier).contains(jobType),
                                row.getOffsetDateTime("next_run_at").toInstant(),
                                Optional.ofNullable(row.getOffsetDateTime("last_slot_start"))
                                        .map(OffsetDateTime::toInstant)));
                    }
                    return new TenantSchedules(tenant, tier, activity.last(), schedules);
                });
    }
}
