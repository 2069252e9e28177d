package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.awaitility.Awaitility.waitAtMost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.outbox.OutboxConfig;
import io.cloudsentinel.platform.outbox.OutboxPublisher;
import io.cloudsentinel.platform.outbox.OutboxRelay;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.cloudsentinel.testing.KafkaServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Emissions per second over 100,000 due tenants with one and with three sweepers (each on its own pool): into the
 * outbox, and end to end to Kafka with as many relays. Prints figures, asserts nothing; run by bench/sweep.sh.
 */
@QuarkusTest
@SchedulerTestResources
@Tag("benchmark")
class SweepBenchmark {

    private static final int TENANTS = Integer.getInteger("bench.tenants", 100_000);
    private static final int BATCH = Integer.getInteger("bench.batch", 2_500);

    @Inject
    TenantTransactions transactions;
    @Inject
    OutboxConfig outboxConfig;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry registry;

    private final List<Pool> pools = new ArrayList<>();
    private final List<OutboxRelay> relays = new ArrayList<>();

    @AfterEach
    void tearDown() {
        pools.forEach(pool -> await(pool::close));
        TestClock.reset();
    }

    @Test
    void emissionsPerSecond() throws IOException {
        StringBuilder report = new StringBuilder();
        report.append(String.format("scheduler sweep benchmark: %,d due tenants, batch %,d, PostgreSQL %s%n",
                TENANTS, BATCH, Db.jdbcUrl()));
        report.append(String.format("%-34s %12s %14s%n", "run", "seconds", "emissions/s"));
        for (int sweepers : new int[] { 1, 3 }) {
            String topic = "jobs.requested.bench-" + UUID.randomUUID();
            prepare();
            double outbox = timed(() -> sweepConcurrently(sweepers, topic));
            report.append(line(sweepers + " sweeper(s) into the outbox", outbox));
            double kafka = timed(() -> relayConcurrently(sweepers));
            report.append(line(sweepers + " relay(s) outbox -> Kafka", kafka));

            prepare();
            double endToEnd = timed(() -> {
                CompletableFuture<Void> sweeping = CompletableFuture.runAsync(() -> sweepConcurrently(sweepers, topic));
                relayUntil(sweepers, sweeping);
            });
            report.append(line(sweepers + " sweeper(s)+relay(s) end to end", endToEnd));
        }
        System.out.print(report);
        Path out = Path.of("target", "benchmark", "sweep.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    private void prepare() {
        Db.truncateAll();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestClock.freezeAt(now);
        Db.dueTenants(TENANTS, "cost_ingestion", Db.literal(now), 3600, Db.literal(now));
        Db.execute("VACUUM ANALYZE schedules");
        Db.execute("ANALYZE tenants");
    }

    private void sweepConcurrently(int count, String topic) {
        List<CompletableFuture<Sweeper.SweepResult>> running = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Pool pool = Sweepers.newPool(2);
            pools.add(pool);
            Sweeper sweeper = Sweepers.onOwnPool(pool, BATCH, topic);
            running.add(CompletableFuture.supplyAsync(() -> await(sweeper::sweep)));
        }
        long emitted = running.stream().mapToLong(sweep -> sweep.join().emitted()).sum();
        if (emitted != TENANTS) {
            throw new IllegalStateException("emitted " + emitted + " of " + TENANTS);
        }
    }

    private void relayConcurrently(int count) {
        relayUntil(count, CompletableFuture.completedFuture(null));
    }

    /** Relays until the outbox is empty and the sweeping is done. */
    private void relayUntil(int count, CompletableFuture<Void> sweeping) {
        while (relays.size() < count) {
            relays.add(new OutboxRelay(transactions, outboxConfig, json, registry,
                    new OutboxPublisher(KafkaServer.shared().bootstrapServers(), Duration.ofSeconds(30))));
        }
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OutboxRelay relay = relays.get(i);
            // drain, and drain again 20 ms later, until the sweeping is done and the outbox empty
            running.add(CompletableFuture.runAsync(() -> waitAtMost(Duration.ofMinutes(30)).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> await(relay::drain) == 0 && sweeping.isDone()
                            && Db.count("SELECT count(*) FROM cs_outbox") == 0)));
        }
        running.forEach(CompletableFuture::join);
        sweeping.join();
    }

    private static double timed(Runnable work) {
        long started = System.nanoTime();
        work.run();
        return (System.nanoTime() - started) / 1e9;
    }

    private static String line(String run, double seconds) {
        return String.format("%-34s %12.2f %,14.0f%n", run, seconds, TENANTS / seconds);
    }
}
