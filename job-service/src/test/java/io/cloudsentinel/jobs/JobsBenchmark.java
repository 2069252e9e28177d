package io.cloudsentinel.jobs;

import static org.awaitility.Awaitility.waitAtMost;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.handler.NoopHandler;
import io.cloudsentinel.jobs.service.AttemptRunner;
import io.cloudsentinel.jobs.service.JobHandlers;
import io.cloudsentinel.jobs.service.JobMetrics;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.AttemptEnd;
import io.cloudsentinel.jobs.store.ExpiredLeases;
import io.cloudsentinel.jobs.store.JobClaim;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.jobs.store.LeaseFence;
import io.cloudsentinel.jobs.store.LeaseHeartbeat;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.kafka.Topics;
import io.cloudsentinel.platform.outbox.OutboxConfig;
import io.cloudsentinel.platform.outbox.OutboxPublisher;
import io.cloudsentinel.platform.outbox.OutboxRelay;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.BenchmarkKnobs;
import io.cloudsentinel.testing.JdbcLoad;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.NothingMeasured;
import io.cloudsentinel.testing.Pgbench;
import io.cloudsentinel.testing.PipelinedStatements;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.Reactive;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * No-op jobs end to end (published to jobs.requested → COMPLETED, with their COMPLETED event read back from
 * jobs.events) with one and two worker replicas; the timeout overshoot of 1,000 blocking jobs that sleep past their
 * timeout; claim-to-start latency at a paced rate; and the same intake, claim and end statements straight into
 * PostgreSQL over PgJDBC (and pgbench when it is on the PATH) as the limit. Prints figures, asserts nothing about
 * them; a row that measured nothing fails the run ({@link NothingMeasured}). Run by job-service/bench/jobs.sh.
 */
@QuarkusTest
@JobsTestResources
@TestProfile(JobsBenchmark.Profile.class)
@Tag("benchmark")
class JobsBenchmark {

    private static final boolean QUICK = BenchmarkKnobs.isSet("CS_BENCH_QUICK");
    /** CS_BENCH_JOBS: no-op jobs of each end-to-end round. */
    private static final int JOBS = number("CS_BENCH_JOBS", QUICK ? 2_000 : 20_000);
    private static final int TENANTS = 1_000;
    /** CS_BENCH_SLOTS: cs.jobs.worker.slots of each replica (the production default is 32). */
    private static final int SLOTS = number("CS_BENCH_SLOTS", 1_000);
    private static final int TIMEOUTS = 1_000;
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final long SLEEP_MILLIS = 5_000;
    /** CS_BENCH_RATE: jobs/s published for the claim-to-start latency. */
    private static final int RATE = number("CS_BENCH_RATE", 200);
    private static final Duration PACED = Duration.ofSeconds(QUICK ? 4 : 15);
    /** CS_BENCH_MEASURE_SECONDS: the length of each physical-limit round. */
    private static final Duration MEASURE = BenchmarkKnobs.seconds("CS_BENCH_MEASURE_SECONDS", QUICK ? 5 : 20);
    private static final Duration LIMIT_WARMUP = Duration.ofSeconds(QUICK ? 2 : 8);
    /** CS_BENCH_LIMIT_CLIENTS: connections of the physical limit. */
    private static final int LIMIT_CLIENTS = number("CS_BENCH_LIMIT_CLIENTS", 4);
    /** Jobs per cycle of the limit: stored in one statement, then claimed and ended a claim-batch at a time. */
    private static final int LIMIT_BATCH = 500;
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    /** What TenantTransactions sends first in a system task's transaction (platform keeps it private). */
    private static final String ENTER_SYSTEM_TASK = "SELECT set_config('app.tenant_id', '', true),"
            + " set_config('role', 'cs_system', true), set_config('app.system_task', $1, true)";

    /** The service's production worker settings (not the tests' short ones), the relay on, the sleeping type. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Map.ofEntries(
                    Map.entry("cs.outbox.enabled", "true"),
                    Map.entry("cs.bench.sleep-handler", "true"),
                    Map.entry("cs.jobs.worker.slots", Integer.toString(SLOTS)),
                    Map.entry("cs.jobs.worker.blocking-threads", Integer.toString(Math.max(SLOTS, TIMEOUTS))),
                    Map.entry("cs.jobs.worker.poll-interval", "250ms"),
                    Map.entry("cs.jobs.worker.heartbeat-interval", "2s"),
                    Map.entry("cs.jobs.worker.rescue-interval", "5s"),
                    Map.entry("cs.jobs.worker.interrupt-grace", "2s"),
                    Map.entry("cs.jobs.worker.lease-grace", "10s"),
                    Map.entry("quarkus.datasource.reactive.max-size", "16"),
                    Map.entry("cs.jobs.types.bench_sleep.timeout", TIMEOUT.toMillis() + "ms"),
                    Map.entry("cs.jobs.types.bench_sleep.max-attempts", "1"),
                    Map.entry("quarkus.log.category.\"io.cloudsentinel\".level", "WARN")));
            // CS_BENCH_PROPS: extra service properties for an experiment, comma-separated (key=value,...)
            for (String property : BenchmarkKnobs.list("CS_BENCH_PROPS")) {
                String[] pair = property.split("=", 2);
                config.put(pair[0].strip(), pair[1].strip());
            }
            return config;
        }
    }

    @Inject
    Worker worker;
    @Inject
    TenantTransactions transactions;
    @Inject
    JobClaim claim;
    @Inject
    AttemptEnd attemptEnd;
    @Inject
    JobIntake intake;
    @Inject
    LeaseHeartbeat heartbeat;
    @Inject
    ExpiredLeases expiredLeases;
    @Inject
    LeaseFence fence;
    @Inject
    JobHandlers handlers;
    @Inject
    JobTypes types;
    @Inject
    JobMetrics metrics;
    @Inject
    JobsConfig config;
    @Inject
    OutboxConfig outboxConfig;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry registry;
    @Inject
    Clock clock;
    @Inject
    Vertx vertx;

    private final AtomicBoolean relayPaused = new AtomicBoolean();
    /** Where each measured run's CPU went, for the report. */
    private final List<String> cpu = new ArrayList<>();
    /** Time spent in each statement of the limit's cycles, summed over its clients. */
    private final LongAdder intakeNanos = new LongAdder();
    private final LongAdder claimNanos = new LongAdder();
    private final LongAdder endNanos = new LongAdder();
    private final LongAdder claims = new LongAdder();
    private KafkaProducer<String, String> producer;

    /** A row of the table: NaN leaves a column blank. */
    private record Figures(String name, long jobs, double seconds, double perSecond, double p50, double p99,
            double max) {

        static Figures rate(String name, long jobs, double seconds) {
            return new Figures(name, jobs, seconds, jobs / seconds, Double.NaN, Double.NaN, Double.NaN);
        }

        static Figures latency(String name, double[] millis, double perSecond) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return new Figures(name, sorted.length, Double.NaN, perSecond, percentile(sorted, 0.50),
                    percentile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
        }

        Figures requireMeasured() {
            NothingMeasured.requireCompleted(name, jobs, "no job");
            Map<String, Double> figures = new HashMap<>();
            if (!Double.isNaN(seconds)) {
                figures.put("seconds", seconds);
                figures.put("jobs/s", perSecond);
            }
            if (!Double.isNaN(p50) || Double.isNaN(seconds)) {
                figures.put("p50", p50);
                figures.put("p99", p99);
                figures.put("max", max);
            }
            NothingMeasured.requireFinite(name, figures);
            return this;
        }

        @Override
        public String toString() {
            return String.format("%-62s %7d %8s %8s %8s %8s %8s", name, jobs, cell(seconds, "%.2f"),
                    cell(perSecond, "%,.0f"), cell(p50, "%.1f"), cell(p99, "%.1f"), cell(max, "%.1f"));
        }

        private static String cell(double value, String format) {
            return Double.isNaN(value) ? "" : String.format(format, value);
        }
    }

    @AfterEach
    void stopEverything() {
        worker.stop(Duration.ofSeconds(5));
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void jobsEndToEndAndTheirLimit() throws Exception {
        handlers.blocking(InterruptStampingHandler.TYPE).orElseThrow(() -> new IllegalStateException(
                "the benchmark profile did not register " + InterruptStampingHandler.TYPE));
        // the scheduled relay of this instance, paused while the limit runs (it measures the statements alone)
        QuarkusMock.installMockForType(new OutboxRelay.RelayDisabled(outboxConfig) {
            @Override
            public boolean test(ScheduledExecution execution) {
                return relayPaused.get() || super.test(execution);
            }
        }, OutboxRelay.RelayDisabled.class);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaServer.shared().bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, CpuUse.LOAD_CLIENT),
                new StringSerializer(), new StringSerializer());

        List<Figures> rows = new ArrayList<>();
        if (!QUICK) {
            // long enough for the JIT to have compiled the hot paths: the rounds measure the steady state
            endToEnd(1, JOBS / 2, "warm-up");
        }
        List<Figures> one = endToEnd(1, JOBS, "1 worker");
        List<Figures> two = endToEnd(2, JOBS, "2 workers");
        rows.addAll(one);
        rows.addAll(two);
        rows.addAll(overshoot());
        rows.addAll(claimToStart());

        relayPaused.set(true);
        limit("PgJDBC warm-up", LIMIT_WARMUP);
        Figures jdbc = limit(String.format("limit: PgJDBC, %d clients, cycles of %d", LIMIT_CLIENTS, LIMIT_BATCH),
                MEASURE);
        rows.add(jdbc);
        Optional<Path> pgbench = Pgbench.onPath();
        Optional<Figures> pgbenchLimit = pgbench.isPresent()
                ? Optional.of(pgbench(pgbench.get(), String.format("limit: pgbench, %d clients, the same",
                        LIMIT_CLIENTS)))
                : Optional.empty();
        pgbenchLimit.ifPresent(rows::add);
        relayPaused.set(false);

        List<String> report = new ArrayList<>();
        report.add(String.format("job-service benchmark: noop jobs over %,d tenants, %,d slots per worker, %d CPUs,"
                + " PostgreSQL %s%s", TENANTS, SLOTS, Runtime.getRuntime().availableProcessors(), Db.jdbcUrl(),
                QUICK ? " (CS_BENCH_QUICK: short rounds)" : ""));
        report.add(String.format("%-62s %7s %8s %8s %8s %8s %8s", "run", "jobs", "seconds", "jobs/s", "p50 ms",
                "p99 ms", "max ms"));
        rows.forEach(row -> report.add(row.toString()));
        if (pgbench.isEmpty()) {
            report.add(String.format("%-62s", "limit: pgbench, the same: pgbench not installed"));
        }
        double e2e = one.get(0).perSecond();
        report.add(String.format("end to end (1 worker) / PgJDBC limit: %.0f%%%s", 100 * e2e / jdbc.perSecond(),
                pgbenchLimit.map(limit -> String.format("   / pgbench limit: %.0f%%", 100 * e2e / limit.perSecond()))
                        .orElse("")));
        cpu.stream().filter(line -> !line.contains("warm-up")).forEach(report::add);
        report.add("(end to end: from the first publish to jobs.requested until the last job's COMPLETED event was"
                + " read from jobs.events; overshoot: stop minus deadline, deadline = started_at + the type's timeout"
                + " of " + TIMEOUT.toMillis() + " ms; the limit runs the service's own intake, claim and end"
                + " statements (intake 500 in one, claims of claim-batch, each ended in one), one round trip each, without"
                + " the Kafka consumer, the outbox relay and the handlers)");
        Path out = Path.of("target", "benchmark", "jobs.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
    }

    // --- end to end ---

    /**
     * {@code jobs} noop requests published at once, with {@code workers} worker replicas (the second on a pool of
     * its own with an outbox relay of its own): the time until every job's COMPLETED event was read back, and until
     * every job was COMPLETED in the table.
     */
    private List<Figures> endToEnd(int workers, int jobs, String label) throws Exception {
        Db.truncateAll();
        Pool pool = null;
        Worker second = null;
        OutboxPublisher publisher = null;
        long relayTimer = -1;
        worker.start();
        if (workers == 2) {
            pool = Claimers.newPool(16);
            TenantTransactions own = transactions.onPool(pool);
            AttemptRunner runner = new AttemptRunner(handlers, own, fence, metrics, json, vertx, config, clock);
            second = new Worker(own, claim, attemptEnd, heartbeat, expiredLeases, runner, types, metrics, config,
                    clock, vertx);
            second.start();
            publisher = new OutboxPublisher(KafkaServer.shared().bootstrapServers(), Duration.ofSeconds(30));
            OutboxRelay relay = new OutboxRelay(own, outboxConfig, json, registry, publisher);
            AtomicBoolean relaying = new AtomicBoolean();
            // as the scheduled relay of that replica would: drain at every poll interval
            relayTimer = vertx.setPeriodic(outboxConfig.pollInterval().toMillis(), timer -> {
                if (relaying.compareAndSet(false, true)) {
                    relay.drain().subscribe().with(sent -> relaying.set(false), failure -> relaying.set(false));
                }
            });
        }
        String run = Long.toString(System.nanoTime(), 36);
        Set<String> expected = ConcurrentHashMap.newKeySet();
        List<ProducerRecord<String, String>> records = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            UUID id = UUID.randomUUID();
            expected.add(id.toString());
            records.add(request(tenant(1 + i % TENANTS), id, "bench-" + run + "-" + i));
        }
        try (CompletedEvents events = new CompletedEvents(json, expected)) {
            CpuUse cpuBefore = CpuUse.now();
            long started = System.nanoTime();
            records.forEach(producer::send);
            producer.flush();
            long[] inTable = { -1 };
            try (Connection connection = Db.system(); Statement statement = connection.createStatement()) {
                waitAtMost(PATIENCE).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                        .alias(label + ": every COMPLETED event").until(() -> {
                            if (inTable[0] < 0 && count(statement,
                                    "SELECT count(*) FROM jobs WHERE state = 'COMPLETED'") >= jobs) {
                                inTable[0] = System.nanoTime();
                            }
                            return events.completeAt() > 0;
                        });
            }
            if (inTable[0] < 0) {
                inTable[0] = System.nanoTime();
            }
            cpu.add(String.format("end to end, %s: %s", label, CpuUse.perJob(cpuBefore, CpuUse.now(), jobs)));
            double seconds = (events.completeAt() - started) / 1e9;
            double tableSeconds = (inTable[0] - started) / 1e9;
            System.out.printf("%s: %d jobs, events complete after %.2f s, table after %.2f s%n", label, jobs, seconds,
                    tableSeconds);
            return List.of(
                    Figures.rate(String.format("end to end, %s: Kafka -> COMPLETED event%s", label,
                            workers == 2 ? " (1 consumer)" : ""), events.completed(), seconds).requireMeasured(),
                    Figures.rate(String.format("  %s: every job COMPLETED in the table", label), jobs, tableSeconds)
                            .requireMeasured());
        } finally {
            worker.stop(Duration.ofSeconds(10));
            if (second != null) {
                second.stop(Duration.ofSeconds(10));
            }
            if (relayTimer >= 0) {
                vertx.cancelTimer(relayTimer);
            }
            if (publisher != null) {
                publisher.close();
            }
            if (pool != null) {
                Pool closing = pool;
                Reactive.await(closing::close);
            }
        }
    }

    /** A valid jobs.requested record of the tenant (see JobRequestCheck). */
    private static ProducerRecord<String, String> request(TenantId tenant, UUID id, String dedupKey) {
        String value = "{\"schemaVersion\":1,\"jobId\":\"" + id + "\",\"tenantId\":\"" + tenant + "\",\"jobType\":\""
                + NoopHandler.TYPE + "\",\"dedupKey\":\"" + dedupKey + "\",\"payload\":{}}";
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.JOBS_REQUESTED, tenant.toString(), value);
        record.headers().add(EventHeaders.TENANT_ID, tenant.toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Reads jobs.events from its end on a thread of its own, counting the expected jobs' COMPLETED events once. */
    private static final class CompletedEvents implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final Set<String> expected;
        private final Set<String> completed = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile long completeAt = -1;
        private volatile boolean closed;

        CompletedEvents(ObjectMapper json, Set<String> expected) {
            this.expected = expected;
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    KafkaServer.shared().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
                    "jobs-bench-" + UUID.randomUUID(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS_EVENTS).stream()
                    .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                try {
                    while (!closed) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                            // two of a job's three events are not COMPLETED: skipped unparsed, so that the reader
                            // takes less of the two cores the service and PostgreSQL share with it
                            if (!record.value().contains("COMPLETED")) {
                                continue;
                            }
                            JsonNode event = json.readTree(record.value());
                            String job = event.path("jobId").asText();
                            if ("COMPLETED".equals(event.path("state").asText()) && expected.contains(job)
                                    && completed.add(job) && completed.size() == expected.size()) {
                                completeAt = System.nanoTime();
                            }
                        }
                    }
                } catch (WakeupException e) {
                    // closing
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    consumer.close();
                }
            }, "jobs-events-reader");
            thread.start();
        }

        long completeAt() {
            return completeAt;
        }

        long completed() {
            return completed.size();
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            consumer.wakeup();
            thread.join();
        }
    }

    // --- timeout overshoot ---

    /**
     * {@link #TIMEOUTS} blocking jobs (one per tenant, all due) that sleep far past their timeout: when their thread
     * saw the interrupt, and when their attempt's end was written, minus their deadline.
     */
    private List<Figures> overshoot() throws SQLException {
        Db.truncateAll();
        InterruptStampingHandler.INTERRUPTED.clear();
        InterruptStampingHandler.STARTED.clear();
        Db.execute("""
                INSERT INTO jobs (tenant_id, id, job_type, dedup_key, request_hash, source, payload, state, run_at,
                                  max_attempts, created_at, updated_at)
                SELECT CAST('00000000-0000-4000-8000-' || lpad(n::text, 12, '0') AS uuid), gen_random_uuid(), '%s',
                       'timeout:' || n, 'hash', 'api', '{"millis": %d}', 'PENDING', now() - interval '1 second', 1,
                       now(), now()
                  FROM generate_series(1, %d) AS n
                """.formatted(InterruptStampingHandler.TYPE, SLEEP_MILLIS, TIMEOUTS));
        worker.start();
        waitAtMost(PATIENCE).pollInterval(Duration.ofMillis(100)).alias("every timed-out attempt ended")
                .until(() -> Db.count("SELECT count(*) FROM job_attempts WHERE finished_at IS NOT NULL") >= TIMEOUTS);
        worker.stop(Duration.ofSeconds(10));
        List<Double> interrupted = new ArrayList<>();
        List<Double> written = new ArrayList<>();
        long timedOut = 0;
        try (Connection connection = Db.system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT job_id, started_at, finished_at, outcome"
                        + " FROM job_attempts")) {
            while (rows.next()) {
                UUID job = rows.getObject(1, UUID.class);
                Instant deadline = rows.getObject(2, OffsetDateTime.class).toInstant().plus(TIMEOUT);
                written.add(millisBetween(deadline, rows.getObject(3, OffsetDateTime.class).toInstant()));
                timedOut += "TIMED_OUT".equals(rows.getString(4)) ? 1 : 0;
                Instant seen = InterruptStampingHandler.INTERRUPTED.get(job);
                if (seen != null) {
                    interrupted.add(millisBetween(deadline, seen));
                }
            }
        }
        int neverRan = TIMEOUTS - InterruptStampingHandler.STARTED.size();
        System.out.printf("overshoot: %d attempts, %d TIMED_OUT, %d interrupts seen, %d handlers never started%n",
                written.size(), timedOut, interrupted.size(), neverRan);
        return List.of(
                Figures.latency(String.format("timeout overshoot, %,d jobs: interrupt seen - deadline", TIMEOUTS),
                        toArray(interrupted), Double.NaN).requireMeasured(),
                Figures.latency(String.format("timeout overshoot, %,d jobs: attempt end written - deadline",
                        TIMEOUTS), toArray(written), Double.NaN).requireMeasured());
    }

    // --- claim-to-start latency ---

    /**
     * Noop requests published at {@link #RATE} per second: from run_at (the intake's now: the job is due at once) to
     * its attempt's started_at, and from the publish to started_at (with the Kafka consumer's share).
     */
    private List<Figures> claimToStart() throws Exception {
        Db.truncateAll();
        worker.start();
        int jobs = (int) (RATE * PACED.toSeconds());
        String run = Long.toString(System.nanoTime(), 36);
        Map<String, Instant> published = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            long due = started + (long) (i * 1e9 / RATE);
            for (long now; (now = System.nanoTime()) < due;) {
                LockSupport.parkNanos(due - now);
            }
            UUID id = UUID.randomUUID();
            published.put(id.toString(), Instant.now());
            producer.send(request(tenant(1 + i % TENANTS), id, "paced-" + run + "-" + i));
        }
        double rate = jobs / ((System.nanoTime() - started) / 1e9);
        waitAtMost(PATIENCE).pollInterval(Duration.ofMillis(100)).alias("every paced job COMPLETED")
                .until(() -> Db.count("SELECT count(*) FROM jobs WHERE state = 'COMPLETED'") >= jobs);
        worker.stop(Duration.ofSeconds(10));
        List<Double> fromDue = new ArrayList<>();
        List<Double> fromPublish = new ArrayList<>();
        try (Connection connection = Db.system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT j.id, j.run_at, a.started_at FROM jobs j"
                        + " JOIN job_attempts a ON a.tenant_id = j.tenant_id AND a.job_id = j.id AND a.attempt = 1")) {
            while (rows.next()) {
                Instant start = rows.getObject(3, OffsetDateTime.class).toInstant();
                fromDue.add(millisBetween(rows.getObject(2, OffsetDateTime.class).toInstant(), start));
                Instant sent = published.get(rows.getString(1));
                if (sent != null) {
                    fromPublish.add(millisBetween(sent, start));
                }
            }
        }
        return List.of(
                Figures.latency(String.format("claim to start at %,d jobs/s: run_at -> started_at", RATE),
                        toArray(fromDue), rate).requireMeasured(),
                Figures.latency(String.format("  publish to start at %,d jobs/s (with the Kafka consumer)", RATE),
                        toArray(fromPublish), rate).requireMeasured());
    }

    // --- the physical limit ---

    /** {@link #LIMIT_CLIENTS} PgJDBC connections running {@link LimitCycle}s: jobs ended per second. */
    private Figures limit(String name, Duration duration) throws Exception {
        Db.truncateAll();
        LongAdder ended = new LongAdder();
        for (LongAdder adder : List.of(intakeNanos, claimNanos, endNanos, claims)) {
            adder.reset();
        }
        CpuUse cpuBefore = CpuUse.now();
        JdbcLoad.Result result = JdbcLoad.closed(Db.jdbcUrl(), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD, LIMIT_CLIENTS, duration, connection -> new LimitCycle(connection, ended));
        cpu.add(String.format("%s: %s", name, CpuUse.perJob(cpuBefore, CpuUse.now(), ended.sum())));
        double seconds = result.elapsed().toNanos() / 1e9;
        System.out.printf("%s: %d cycles, %d jobs ended in %.2f s, %s; per job intake %.3f ms, per claim %.1f ms,"
                + " per end %.1f ms (each client's own time)%n", name, result.transactions(), ended.sum(), seconds,
                result.failures(), intakeNanos.sum() / 1e6 / Math.max(1, result.transactions() * LIMIT_BATCH),
                claimNanos.sum() / 1e6 / Math.max(1, claims.sum()), endNanos.sum() / 1e6 / Math.max(1, claims.sum()));
        NothingMeasured.requireCompleted(name, result.transactions(), result.failures());
        return Figures.rate(name + ", " + result.failed() + " cycles failed", ended.sum(), seconds)
                .requireMeasured();
    }

    /**
     * One client's cycle, as the service runs the statements: {@link #LIMIT_BATCH} requests stored in one statement
     * (the Kafka consumer's batch), then claims of {@code claim-batch} jobs, each ended in one statement (the worker's
     * way), until the cycle's jobs are taken. Every transaction is one round trip: BEGIN, the tenant or system task,
     * the statement and COMMIT pipelined.
     */
    private final class LimitCycle implements JdbcLoad.Client {

        private final Connection connection;
        private final LongAdder ended;
        private final String worker = "limit-" + UUID.randomUUID().toString().substring(0, 8);
        private PipelinedStatements submitting;
        private PreparedStatement submit;
        private PipelinedStatements claiming;
        private PreparedStatement claimStatement;
        private PipelinedStatements ending;
        private PreparedStatement end;

        LimitCycle(Connection connection, LongAdder ended) {
            this.connection = connection;
            this.ended = ended;
        }

        @Override
        public boolean transaction() throws SQLException {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long started = System.nanoTime();
            Instant now = clock.instant();
            List<JobIntake.NewJob> jobs = new ArrayList<>(LIMIT_BATCH);
            for (int i = 0; i < LIMIT_BATCH; i++) {
                jobs.add(newJob(random));
            }
            CapturedStatement stored = CapturedStatement.of(client -> intake.submitAll(client, jobs, now));
            if (submit == null) {
                submitting = PipelinedStatements.of("BEGIN", ENTER_SYSTEM_TASK, stored.sql(), "COMMIT");
                submit = submitting.prepare(connection);
            }
            if (!submitting.execute(submit, ResultSet::next, values("job-intake", stored))) {
                return false;
            }
            intakeNanos.add(System.nanoTime() - started);
            for (int taken = 0; taken < LIMIT_BATCH;) {
                int claimedNow = claimAndEnd();
                if (claimedNow == 0) {
                    break;
                }
                taken += claimedNow;
            }
            return true;
        }

        /** One claim of {@code claim-batch} and the end of what it took: how many it took. */
        private int claimAndEnd() throws SQLException {
            long claimStarted = System.nanoTime();
            CapturedStatement claimed = CapturedStatement.of(client -> claim.claim(client, claimRequest(),
                    clock.instant()));
            if (claimStatement == null) {
                claiming = PipelinedStatements.of("BEGIN", ENTER_SYSTEM_TASK, claimed.sql(), "COMMIT");
                claimStatement = claiming.prepare(connection);
            }
            List<AttemptEnd.End> ends = new ArrayList<>();
            claiming.execute(claimStatement, rows -> {
                while (rows.next()) {
                    ends.add(AttemptEnd.End.completed(new TenantId(rows.getObject("tenant_id", UUID.class)),
                            rows.getObject("id", UUID.class), rows.getObject("lease_token", UUID.class)));
                }
                return true;
            }, values("job-claim", claimed));
            long endStarted = System.nanoTime();
            claimNanos.add(endStarted - claimStarted);
            claims.increment();
            if (ends.isEmpty()) {
                return 0;
            }
            CapturedStatement endedStatement = CapturedStatement.of(client -> attemptEnd.end(client, ends,
                    clock.instant()));
            if (end == null) {
                ending = PipelinedStatements.of("BEGIN", ENTER_SYSTEM_TASK, endedStatement.sql(), "COMMIT");
                end = ending.prepare(connection);
            }
            long[] count = { 0 };
            ending.execute(end, rows -> {
                while (rows.next()) {
                    count[0]++;
                }
                return true;
            }, values("job-end", endedStatement));
            endNanos.add(System.nanoTime() - endStarted);
            ended.add(count[0]);
            return ends.size();
        }

        private JobClaim.Request claimRequest() {
            return JobsBenchmark.this.claimRequest(worker);
        }

        /** The first statement's one value, then the captured statement's. */
        private Object[] values(String first, CapturedStatement statement) throws SQLException {
            Object[] captured = statement.jdbcValues(connection);
            Object[] all = new Object[captured.length + 1];
            all[0] = first;
            System.arraycopy(captured, 0, all, 1, captured.length);
            return all;
        }
    }

    private JobIntake.NewJob newJob(ThreadLocalRandom random) {
        UUID id = new UUID(random.nextLong() & ~0xF000L | 0x4000L,
                random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        Instant now = clock.instant();
        return new JobIntake.NewJob(tenant(1 + random.nextInt(TENANTS)), id, NoopHandler.TYPE, "limit:" + id, "hash",
                "kafka", "{}", 0, now, types.of(NoopHandler.TYPE).maxAttempts(), null);
    }

    /** What the worker asks for (see Worker.claimMore): {@code claim-batch} jobs, every type, their timeouts. */
    private JobClaim.Request claimRequest(String workerName) {
        List<String> names = new ArrayList<>(types.names());
        int batch = config.worker().claimBatch();
        return new JobClaim.Request(batch, names,
                names.stream().map(type -> types.of(type).timeout().toNanos() / 1e9).toList(),
                names.stream().map(type -> batch).toList(), workerName,
                config.worker().heartbeatInterval().multipliedBy(3).toNanos() / 1e9,
                config.worker().leaseGrace().toNanos() / 1e9);
    }

    /**
     * The cross-check: the cycle of {@link LimitCycle} as a pgbench script, the statements' values written as literals
     * (pgbench variables for the tenant and for what the claim answered, which it hands to the end through
     * {@code \gset}: the claim's rows folded into arrays). Jobs/s from the jobs COMPLETED during the run.
     */
    private Figures pgbench(Path pgbench, String name) throws Exception {
        Db.truncateAll();
        Pgbench.Result result;
        long started = System.nanoTime();
        result = Pgbench.run(pgbench, Db.jdbcUrl(), DatabaseBootstrap.APP_ROLE, PostgresServer.APP_PASSWORD,
                LIMIT_CLIENTS, 2, MEASURE, Map.of(), pgbenchScript());
        double seconds = (System.nanoTime() - started) / 1e9;
        long completed = Db.count("SELECT count(*) FROM jobs WHERE state = 'COMPLETED'");
        System.out.println(name + ": " + completed + " jobs COMPLETED\n" + result.output());
        NothingMeasured.requireFinite(name, Map.of("tps (pgbench printed: " + result.output().strip() + ")",
                result.transactionsPerSecond()));
        return Figures.rate(name + ", " + result.failed() + " cycles failed", completed, seconds).requireMeasured();
    }

    private String pgbenchScript() {
        Instant now = clock.instant();
        List<JobIntake.NewJob> jobs = new ArrayList<>(LIMIT_BATCH);
        for (int i = 0; i < LIMIT_BATCH; i++) {
            jobs.add(newJob(ThreadLocalRandom.current()));
        }
        CapturedStatement stored = CapturedStatement.of(client -> intake.submitAll(client, jobs, now));
        String rows = " FROM generate_series(1, " + LIMIT_BATCH + "))";
        String submit = withLiterals(stored, Map.of(
                1, "ARRAY(SELECT CAST('00000000-0000-4000-8000-' || lpad((1 + floor(random() * " + TENANTS
                        + "))::int::text, 12, '0') AS uuid)" + rows,
                2, "ARRAY(SELECT gen_random_uuid()" + rows,
                4, "ARRAY(SELECT 'limit:' || gen_random_uuid()" + rows));
        CapturedStatement claimed = CapturedStatement.of(client -> claim.claim(client, claimRequest("pgbench"),
                now));
        String claimSql = withLiterals(claimed, Map.of());
        int lastCte = claimSql.lastIndexOf("\n)\n");
        claimSql = claimSql.substring(0, lastCte + 3) + "SELECT coalesce(array_agg(tenant_id)::text, '{}') AS ts,"
                + " coalesce(array_agg(id)::text, '{}') AS ids, coalesce(array_agg(lease_token)::text, '{}') AS toks,"
                + " count(*) AS n FROM started";
        AttemptEnd.End one = AttemptEnd.End.completed(tenant(1), UUID.randomUUID(), UUID.randomUUID());
        CapturedStatement endedStatement = CapturedStatement.of(client -> attemptEnd.end(client, List.of(one), now));
        String times = "ARRAY[:n::integer]";
        String endSql = withLiterals(endedStatement, Map.of(1, "CAST(:ts AS uuid[])", 2, "CAST(:ids AS uuid[])", 3,
                "CAST(:toks AS uuid[])", 4, "array_fill('COMPLETED'::text, " + times + ")", 5,
                "array_fill('COMPLETED'::text, " + times + ")", 6, "array_fill(NULL::timestamptz, " + times + ")", 7,
                "array_fill(NULL::text, " + times + ")", 8, "array_fill(NULL::text, " + times + ")", 9,
                "array_fill(NULL::text, " + times + ")"));
        StringBuilder script = new StringBuilder();
        script.append("\\startpipeline\nBEGIN;\n").append(ENTER_SYSTEM_TASK.replace("$1", "'job-intake'"))
                .append(";\n").append(submit.strip()).append(";\nCOMMIT;\n\\endpipeline\n");
        for (int taken = 0; taken < LIMIT_BATCH; taken += config.worker().claimBatch()) {
            script.append("BEGIN;\n").append(ENTER_SYSTEM_TASK.replace("$1", "'job-claim'")).append(";\n")
                    .append(claimSql.strip()).append("\n\\gset\nCOMMIT;\n");
            script.append("\\startpipeline\nBEGIN;\n").append(ENTER_SYSTEM_TASK.replace("$1", "'job-end'"))
                    .append(";\n").append(endSql.strip()).append(";\nCOMMIT;\n\\endpipeline\n");
        }
        return script.toString();
    }

    private static final Pattern NUMBERED = Pattern.compile("\\$(\\d+)");

    /** The statement with each {@code $n} replaced: by {@code replacements.get(n)}, else by its value's literal. */
    private static String withLiterals(CapturedStatement statement, Map<Integer, String> replacements) {
        Matcher numbered = NUMBERED.matcher(statement.sql());
        StringBuilder sql = new StringBuilder();
        while (numbered.find()) {
            int n = Integer.parseInt(numbered.group(1));
            String literal = replacements.getOrDefault(n, CapturedStatement.literal(statement.values().get(n - 1)));
            numbered.appendReplacement(sql, Matcher.quoteReplacement(literal));
        }
        numbered.appendTail(sql);
        return sql.toString();
    }

    // --- small things ---

    private static TenantId tenant(int number) {
        return TenantId.parse(String.format("00000000-0000-4000-8000-%012d", number));
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static double millisBetween(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static int number(String knob, int orElse) {
        return BenchmarkKnobs.value(knob).map(Integer::parseInt).orElse(orElse);
    }
}
