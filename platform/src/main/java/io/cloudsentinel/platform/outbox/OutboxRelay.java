package io.cloudsentinel.platform.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.KafkaClientSecurity;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.platform.tracing.SpanTrace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes the outbox. Each batch is one transaction on the audited system path: claim the oldest rows no other
 * relay holds with FOR UPDATE SKIP LOCKED, keep those no older row of their (topic, key) precedes outside the claim,
 * send them in id order, and delete them only after the broker acknowledged all of them: per-key order with any
 * number of replicas. At-least-once: a crash after the send and before the commit sends the batch again, so
 * consumers deduplicate by {@code event-id}. While the broker is unreachable the relay backs off exponentially and the
 * rows wait, counted in {@code attempts}.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final SystemTask TASK = new SystemTask("outbox-relay");
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    /**
     * Claims the oldest rows no other relay holds (SKIP LOCKED, in id order) and keeps those with no older row of
     * their key outside the claim: such an older row is one another relay is sending, so its key's newer rows wait
     * for the next batch (they stay locked until this one commits, and are sent then by whoever claims them first).
     * Each key's rows are so sent in id order with any number of replicas. The cost follows the batch, not the
     * backlog: the earlier form (heads first, then every row of their keys) read and sorted the whole outbox per batch,
     * 24 ms a batch at 60,000 rows.
     */
    private static final String CLAIM = """
            WITH claimed AS (
                SELECT o.id, o.topic, o.record_key, o.headers, o.payload, o.attempts, o.trace_parent, o.trace_state
                  FROM cs_outbox o
                 WHERE o.parked_at IS NULL
                   -- a parked row holds its key's newer rows back, where no claim takes them
                   AND NOT EXISTS (SELECT FROM cs_outbox parked
                                    WHERE parked.parked_at IS NOT NULL AND parked.topic = o.topic
                                      AND parked.record_key = o.record_key AND parked.id < o.id)
                 ORDER BY o.id
                 LIMIT $1
                   FOR UPDATE OF o SKIP LOCKED
            )
            SELECT c.id, c.topic, c.record_key, CAST(c.headers AS text), c.payload, c.attempts, c.trace_parent,
                   c.trace_state
              FROM claimed c
             WHERE NOT EXISTS (SELECT FROM cs_outbox older
                                WHERE older.topic = c.topic AND older.record_key = c.record_key
                                  AND older.id < c.id
                                  AND older.id NOT IN (SELECT id FROM claimed))
             ORDER BY c.id
            """;
    /** Rows the broker refused for good, or too often: set aside, the error kept, counted in {@code attempts}. */
    private static final String PARK = """
            UPDATE cs_outbox SET parked_at = now(), attempts = attempts + 1, last_error = e.error
              FROM unnest($1::bigint[], $2::text[]) AS e (id, error)
             WHERE cs_outbox.id = e.id
            RETURNING cs_outbox.id, cs_outbox.tenant_id, cs_outbox.topic
            """;
    private static final String NOTE = """
            UPDATE cs_outbox SET attempts = attempts + 1, last_error = e.error
              FROM unnest($1::bigint[], $2::text[]) AS e (id, error)
             WHERE cs_outbox.id = e.id
            """;

    private final TenantTransactions transactions;
    private final OutboxConfig config;
    private final ObjectMapper json;
    private final OutboxPublisher publisher;
    private final Counter published;
    private final Counter parkedCount;
    private final AtomicLong parked = new AtomicLong();
    private final AtomicReference<Double> oldestParkedSeconds = new AtomicReference<>(0.0);
    private final AtomicLong pending = new AtomicLong();
    private final AtomicReference<Double> lagSeconds = new AtomicReference<>(0.0);
    private volatile long pausedUntilNanos = System.nanoTime();
    private volatile Duration backoff = Duration.ZERO;

    @Inject
    public OutboxRelay(TenantTransactions transactions, OutboxConfig config, ObjectMapper json,
            MeterRegistry registry, OpenTelemetry telemetry) {
        // the channels' own security settings: a broker that needs SASL or TLS gets them from this producer too
        this(transactions, config, json, registry, new OutboxPublisher(config.bootstrapServers(), config.sendTimeout(),
                KafkaClientSecurity.of(ConfigProvider.getConfig()),
                telemetry.getTracer(OutboxPublisher.INSTRUMENTATION)), true);
    }

    /**
     * A relay with its own publisher: to another broker, or with other timeouts (tests, benchmarks). It counts into
     * the shared counters but leaves the gauges to the service's own relay, which measures the outbox for them.
     */
    public OutboxRelay(TenantTransactions transactions, OutboxConfig config, ObjectMapper json, MeterRegistry registry,
            OutboxPublisher publisher) {
        this(transactions, config, json, registry, publisher, false);
    }

    private OutboxRelay(TenantTransactions transactions, OutboxConfig config, ObjectMapper json,
            MeterRegistry registry, OutboxPublisher publisher, boolean measured) {
        this.transactions = transactions;
        this.config = config;
        this.json = json;
        this.publisher = publisher;
        this.published = Counter.builder("cs.outbox.published").description("Outbox rows the broker acknowledged")
                .register(registry);
        this.parkedCount = Counter.builder("cs.outbox.rows.parked").description("Outbox rows parked").register(registry);
        if (measured) {
            Gauge.builder("cs.outbox.pending", pending, AtomicLong::get).description("Rows waiting in the outbox")
                    .register(registry);
            Gauge.builder("cs.outbox.lag.seconds", lagSeconds, AtomicReference::get)
                    .description("Age of the oldest row waiting in the outbox").register(registry);
            Gauge.builder("cs.outbox.parked", parked, AtomicLong::get)
                    .description("Rows parked: the broker refused them; their keys' later rows wait").register(registry);
            Gauge.builder("cs.outbox.parked.oldest.seconds", oldestParkedSeconds, AtomicReference::get)
                    .description("How long the oldest parked row has been parked").register(registry);
        }
    }

    @Scheduled(every = "${cs.outbox.poll-interval:500ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = RelayDisabled.class)
    Uni<Void> scheduled() {
        if (System.nanoTime() < pausedUntilNanos) {
            return Uni.createFrom().voidItem();
        }
        return drain().onItemOrFailure().transformToUni((sent, failure) -> {
            if (failure != null) {
                backoff = backoff.isZero() ? config.pollInterval() : min(backoff.multipliedBy(2), config.maxBackoff());
                pausedUntilNanos = System.nanoTime() + backoff.toNanos();
                LOG.warnf("outbox relay paused for %s: %s", backoff, failure.getMessage());
            } else {
                backoff = Duration.ZERO;
                // a hot path, like the job worker's claims: every run under traffic changes rows, so its work is the
                // counters (cs_outbox_published_total, cs_system_work_total), not an INFO line twice a second
                LOG.debugf("system task %s published and deleted %d outbox rows", TASK.name(), sent);
            }
            return measure();
        });
    }

    /**
     * Relays batch after batch until one sends nothing, {@code max-batches-per-run} at most; the number of rows
     * published. (A short batch does not mean the outbox is empty: rows that wait behind another relay's are left out
     * of it.)
     */
    public Uni<Long> drain() {
        return drain(config.maxBatchesPerRun());
    }

    /** At most {@code batches} more, so that one run under a steady inflow ends (the next poll goes on). */
    private Uni<Long> drain(int batches) {
        return relayBatch().chain(sent -> sent == 0 || batches <= 1
                ? Uni.createFrom().item(sent)
                : drain(batches - 1).map(more -> sent + more));
    }

    /**
     * One batch in one transaction. Rows the broker acknowledged are deleted; a row it refused for good (too large,
     * a topic this service may not write), or {@code park-after-attempts} times, is parked; any other failure is
     * noted in the row and fails the batch after the commit (the relay backs off), the row sent again later.
     */
    public Uni<Long> relayBatch() {
        return transactions.asSystem(TASK, connection -> connection.preparedQuery(CLAIM)
                .execute(Tuple.of(config.batchSize()))
                .chain(claimed -> {
                    if (claimed.size() == 0) {
                        return Uni.createFrom().item(new Outcome(0, null));
                    }
                    List<OutboxPublisher.Row> rows = new ArrayList<>(claimed.size());
                    Map<Long, Integer> attempts = new HashMap<>();
                    claimed.forEach(row -> {
                        rows.add(row(row));
                        attempts.put(row.getLong(0), row.getInteger(5));
                    });
                    return send(rows).chain(deliveries -> settle(connection, deliveries, attempts));
                }))
                .chain(outcome -> {
                    published.increment(outcome.sent());
                    if (outcome.failure() != null) {
                        return Uni.createFrom().failure(outcome.failure());
                    }
                    return Uni.createFrom().item(outcome.sent());
                });
    }

    private record Outcome(long sent, Throwable failure) {
    }

    /** Deletes what was delivered, parks what never will be, notes the rest; the first retriable failure is raised. */
    private Uni<Outcome> settle(SqlConnection connection, List<OutboxPublisher.Delivery> deliveries,
            Map<Long, Integer> attempts) {
        List<Long> delivered = new ArrayList<>();
        List<OutboxPublisher.Delivery> parking = new ArrayList<>();
        List<OutboxPublisher.Delivery> noting = new ArrayList<>();
        Throwable retriable = null;
        for (OutboxPublisher.Delivery delivery : deliveries) {
            if (delivery.acked()) {
                delivered.add(delivery.row().id());
            } else if (delivery.failure().isPresent()) {
                boolean tooOften = attempts.get(delivery.row().id()) + 1 >= config.parkAfterAttempts();
                if (!delivery.retriable() || tooOften) {
                    parking.add(delivery);
                } else {
                    noting.add(delivery);
                    retriable = retriable == null ? delivery.failure().get() : retriable;
                }
            }
        }
        Throwable raised = retriable;
        return delete(connection, delivered)
                .chain(() -> park(connection, parking))
                .chain(() -> note(connection, noting))
                .replaceWith(() -> new Outcome(delivered.size(), raised));
    }

    /** Sends off the event loop (the producer may block while it looks for the broker), then returns to it. */
    private Uni<List<OutboxPublisher.Delivery>> send(List<OutboxPublisher.Row> rows) {
        Context context = Vertx.currentContext();
        return Uni.createFrom().completionStage(() -> CompletableFuture
                .supplyAsync(() -> publisher.send(rows), Infrastructure.getDefaultWorkerPool())
                .thenCompose(deliveries -> deliveries))
                .emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private Uni<Void> delete(SqlConnection connection, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("DELETE FROM cs_outbox WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    private Uni<Void> park(SqlConnection connection, List<OutboxPublisher.Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(PARK).execute(errors(deliveries)).invoke(rows -> rows.forEach(row -> {
            parkedCount.increment();
            LOG.warnf("outbox row %d (tenant %s, topic %s) parked: %s; its key's later rows wait behind it",
                    row.getLong(0), row.getUUID(1), row.getString(2), error(deliveries, row.getLong(0)));
        })).replaceWithVoid();
    }

    /** Counts the attempt in the rows and commits that, so the failure is visible while the rows wait. */
    private Uni<Void> note(SqlConnection connection, List<OutboxPublisher.Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(NOTE).execute(errors(deliveries)).replaceWithVoid();
    }

    private static Tuple errors(List<OutboxPublisher.Delivery> deliveries) {
        return Tuple.of(deliveries.stream().map(delivery -> delivery.row().id()).toArray(Long[]::new),
                deliveries.stream().map(OutboxRelay::describe).toArray(String[]::new));
    }

    private static String error(List<OutboxPublisher.Delivery> deliveries, long id) {
        return deliveries.stream().filter(delivery -> delivery.row().id() == id).findFirst()
                .map(OutboxRelay::describe).orElse("");
    }

    private static String describe(OutboxPublisher.Delivery delivery) {
        Throwable failure = delivery.failure().orElseThrow();
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return error.length() > 500 ? error.substring(0, 500) : error;
    }

    private Uni<Void> measure() {
        return transactions.asSystem(TASK, connection -> connection.query("""
                SELECT count(*) FILTER (WHERE parked_at IS NULL),
                       coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE parked_at IS NULL)), 0),
                       count(*) FILTER (WHERE parked_at IS NOT NULL),
                       coalesce(extract(epoch FROM now() - min(parked_at)), 0)
                  FROM cs_outbox
                """).execute())
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    pending.set(row.getLong(0));
                    lagSeconds.set(row.getDouble(1));
                    parked.set(row.getLong(2));
                    oldestParkedSeconds.set(row.getDouble(3));
                })
                .replaceWithVoid()
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private OutboxPublisher.Row row(Row row) {
        try {
            String traceparent = row.getString(6);
            return new OutboxPublisher.Row(row.getLong(0), row.getString(1), row.getString(2),
                    json.readValue(row.getString(3), HEADERS), row.getString(4),
                    traceparent == null ? null : new SpanTrace(traceparent, row.getString(7)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("outbox row " + row.getLong(0) + " has unreadable headers", e);
        }
    }

    private static Long[] ids(List<OutboxPublisher.Row> rows) {
        return rows.stream().map(OutboxPublisher.Row::id).toArray(Long[]::new);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    /** Skips the scheduled relay on replicas (or tests) that set cs.outbox.enabled=false. */
    @ApplicationScoped
    public static class RelayDisabled implements Scheduled.SkipPredicate {

        private final OutboxConfig config;

        public RelayDisabled(OutboxConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.enabled();
        }
    }

}
