package io.cloudsentinel.scheduler.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.outbox.OutboxMessage;
import io.cloudsentinel.platform.outbox.OutboxWriter;
import io.cloudsentinel.platform.tenant.SystemTask;
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

/** A tenant's schedules as its API shows and changes them, manual runs, and the operators' statistics. */
@ApplicationScoped
public class ScheduleBook {

    private static final SystemTask STATS = new SystemTask("schedule-stats");

    public record ScheduleState(String jobType, boolean enabled, Duration interval, Optional<Duration> override,
            boolean emitted, Instant nextRunAt, Optional<Instant> lastSlotStart) {
    }

    public record TenantSchedules(TenantId tenant, Tier tier, Optional<Instant> lastActivity,
            List<ScheduleState> schedules) {
    }

    public record ManualRun(UUID jobId, String jobType, String dedupKey, Instant requestedAt, boolean created) {
    }

    public record Stats(long dueSchedules, double lagSeconds, long emissionsLastMinute,
            double emissionsPerMinuteLast15, long outboxPending, Map<String, Long> tenantsByTier) {
    }

    private final TenantTransactions transactions;
    private final TierPolicy tiers;
    private final SchedulerConfig config;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final Clock clock;

    public ScheduleBook(TenantTransactions transactions, TierPolicy tiers, SchedulerConfig config, OutboxWriter outbox,
            ObjectMapper json, Clock clock) {
        this.transactions = transactions;
        this.tiers = tiers;
        this.config = config;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    public Uni<TenantSchedules> find(TenantId tenant) {
        Instant now = clock.instant();
        return transactions.inTenant(tenant, connection -> connection
                .preparedQuery("SELECT last_activity_at FROM tenants WHERE tenant_id = $1")
                .execute(Tuple.of(tenant.value()))
                .chain(rows -> schedules(connection, tenant, rows.size() == 0 ? Optional.empty()
                        : Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0))
                                .map(OffsetDateTime::toInstant),
                        now)));
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
        return transactions.inTenant(tenant, connection -> lastActivity(connection, tenant).chain(last -> {
            Duration every = override.orElse(tiers.every(tiers.tierOf(last.orElse(null), now)));
            OffsetDateTime currentSlot = ScheduleSlot.startAt(tenant, every, now).atOffset(ZoneOffset.UTC);
            return connection.preparedQuery("""
                    INSERT INTO schedules (tenant_id, job_type, enabled, interval_override_secs, tenant_configured,
                                           next_run_at)
                    VALUES ($1, $2, $3, $4, true, $5)
                    ON CONFLICT (tenant_id, job_type) DO UPDATE
                       SET enabled = excluded.enabled,
                           interval_override_secs = excluded.interval_override_secs,
                           tenant_configured = true,
                           next_run_at = least(schedules.next_run_at, $6),
                           updated_at = now()
                    """).execute(Tuple.of(tenant.value(), jobType, enabled,
                    override.map(d -> (int) d.toSeconds()).orElse(null), currentSlot, currentSlot.plus(every)))
                    .chain(() -> schedules(connection, tenant, last, now));
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
        return transactions.inTenant(tenant, connection -> connection.preparedQuery("""
                INSERT INTO manual_runs (tenant_id, job_type, idempotency_key, job_id, requested_at)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                """).execute(Tuple.of(tenant.value(), jobType, idempotencyKey, jobId, now.atOffset(ZoneOffset.UTC)))
                .chain(inserted -> {
                    String dedupKey = tenant + ":" + jobType + ":manual:" + idempotencyKey;
                    if (inserted.rowCount() == 1) {
                        ManualRun run = new ManualRun(jobId, jobType, dedupKey, now, true);
                        return outbox.append(connection, OutboxMessage.forTenant(config.topic(),
                                EventHeaders.newEvent(tenant, null), payload(tenant, run))).replaceWith(run);
                    }
                    return connection.preparedQuery("SELECT job_type, job_id, requested_at FROM manual_runs"
                            + " WHERE tenant_id = $1 AND idempotency_key = $2")
                            .execute(Tuple.of(tenant.value(), idempotencyKey))
                            .map(rows -> {
                                Row first = rows.iterator().next();
                                if (!first.getString("job_type").equals(jobType)) {
                                    throw SchedulerProblems.idempotencyKeyReused(idempotencyKey,
                                            first.getString("job_type"));
                                }
                                return new ManualRun(first.getUUID("job_id"), jobType, dedupKey,
                                        first.getOffsetDateTime("requested_at").toInstant(), false);
                            });
                }));
    }

    public Uni<Stats> stats() {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return transactions.asSystem(STATS, connection -> connection.preparedQuery("""
                SELECT (SELECT count(*) FROM schedules WHERE enabled AND next_run_at <= $1::timestamptz) AS due,
                       (SELECT coalesce(extract(epoch FROM $1::timestamptz - min(next_run_at)), 0)::float8
                          FROM schedules WHERE enabled AND next_run_at <= $1::timestamptz) AS lag,
                       (SELECT count(*) FROM emissions
                         WHERE emitted_at > $1::timestamptz - interval '1 minute') AS last_minute,
                       (SELECT count(*) FROM emissions
                         WHERE emitted_at > $1::timestamptz - interval '15 minutes') AS last_15,
                       (SELECT count(*) FROM cs_outbox) AS pending
                """).execute(Tuple.of(now))
                .chain(totals -> connection.preparedQuery("SELECT tier, count(*) FROM tenants GROUP BY tier")
                        .execute()
                        .map(byTier -> {
                            Map<String, Long> counts = new TreeMap<>();
                            for (Tier tier : Tier.values()) {
                                counts.put(tier.name(), 0L);
                            }
                            byTier.forEach(row -> counts.put(row.getString(0), row.getLong(1)));
                            Row row = totals.iterator().next();
                            return new Stats(row.getLong("due"), row.getDouble("lag"), row.getLong("last_minute"),
                                    row.getLong("last_15") / 15.0, row.getLong("pending"), counts);
                        })));
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

    /** The tenant's last activity; a tenant the scheduler has not seen yet is created, dormant. */
    private Uni<Optional<Instant>> lastActivity(SqlConnection connection, TenantId tenant) {
        return connection.preparedQuery("""
                INSERT INTO tenants (tenant_id, tier) VALUES ($1, 'DORMANT')
                ON CONFLICT (tenant_id) DO UPDATE SET tier = tenants.tier
                RETURNING last_activity_at
                """).execute(Tuple.of(tenant.value()))
                .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0))
                        .map(OffsetDateTime::toInstant));
    }

    private Uni<TenantSchedules> schedules(SqlConnection connection, TenantId tenant, Optional<Instant> last,
            Instant now) {
        Tier tier = tiers.tierOf(last.orElse(null), now);
        return connection.preparedQuery("""
                SELECT job_type, enabled, interval_override_secs, tenant_configured, next_run_at,
                       last_slot_start
                  FROM schedules
                 WHERE tenant_id = $1
                 ORDER BY job_type
                """).execute(Tuple.of(tenant.value()))
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
                    return new TenantSchedules(tenant, tier, last, schedules);
                });
    }

    private String payload(TenantId tenant, ManualRun run) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("schemaVersion", 1);
        event.put("jobId", run.jobId().toString());
        event.put("tenantId", tenant.toString());
        event.put("jobType", run.jobType());
        event.put("dedupKey", run.dedupKey());
        event.put("source", "run-now");
        event.put("payload", Map.of());
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }
}
