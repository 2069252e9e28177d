package io.cloudsentinel.platform.bench;

import static io.cloudsentinel.platform.Reactive.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.probe.Note;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * What a tenant transaction costs over a plain one. Prints figures; asserts nothing about time. Run with
 * platform/bench/tenant-transaction.sh (excluded from the normal test run by its tag).
 */
@Tag("benchmark")
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TenantTransactionBenchmark {

    private static final int WARMUP = 5_000;
    private static final int MEASURED = 10_000;
    private static final int IN_FLIGHT = 32;

    @Inject
    TenantTransactions transactions;
    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    void tenantTransactionOverPlainTransaction() throws IOException {
        TenantId tenant = TenantId.random();
        long noteId = await(() -> transactions.inTenantSession(tenant, session -> {
            Note note = Note.of(tenant.value(), "bench");
            return session.persist(note).call(session::flush).map(ignored -> note.id);
        }));
        await(() -> plain(session -> session.createNativeQuery(
                "INSERT INTO bench_rows (id, owner, body) VALUES (1, gen_random_uuid(), 'bench') ON CONFLICT DO NOTHING")
                .executeUpdate()));

        List<String> report = new ArrayList<>();
        report.add(String.format("%-44s %10s %10s %10s %12s", "transaction (pool of 2 connections)", "p50 µs",
                "p99 µs", "mean µs", "tx/s @" + IN_FLIGHT));
        Supplier<Uni<?>> plainSelect1 = () -> plain(s -> s.createNativeQuery("SELECT 1").getSingleResult());
        Supplier<Uni<?>> tenantSelect1 = () -> transactions.inTenantSession(tenant,
                s -> s.createNativeQuery("SELECT 1").getSingleResult());
        Supplier<Uni<?>> plainLookup = () -> plain(s -> s.createNativeQuery("SELECT body FROM bench_rows WHERE id = 1")
                .getSingleResult());
        Supplier<Uni<?>> tenantLookup = () -> transactions.inTenantSession(tenant,
                s -> s.createNativeQuery("SELECT body FROM notes WHERE id = :id").setParameter("id", noteId)
                        .getSingleResult());
        // Warm every path up before measuring any, so that JIT and pool warm-up do not favour the later rows.
        for (Supplier<Uni<?>> path : List.of(plainSelect1, tenantSelect1, plainLookup, tenantLookup)) {
            for (int i = 0; i < WARMUP; i++) {
                await(path::get);
            }
        }
        Row plainSelect1Row = measure("plain: SELECT 1", plainSelect1);
        Row tenantSelect1Row = measure("tenant: set_config + SELECT 1", tenantSelect1);
        Row plainLookupRow = measure("plain: primary-key lookup, no RLS", plainLookup);
        Row tenantLookupRow = measure("tenant: primary-key lookup under RLS", tenantLookup);
        for (Row row : List.of(plainSelect1Row, tenantSelect1Row, plainLookupRow, tenantLookupRow)) {
            report.add(row.toString());
        }
        report.add(String.format("added by entering the tenant context: p50 %+.0f µs, throughput %.0f%% of plain",
                tenantSelect1Row.p50 - plainSelect1Row.p50,
                100.0 * tenantSelect1Row.throughput / plainSelect1Row.throughput));
        report.add(String.format("added by context + RLS on a lookup:   p50 %+.0f µs, throughput %.0f%% of plain",
                tenantLookupRow.p50 - plainLookupRow.p50,
                100.0 * tenantLookupRow.throughput / plainLookupRow.throughput));

        Path out = Path.of("target", "benchmark", "tenant-transaction.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
    }

    private record Row(String name, double p50, double p99, double mean, double throughput) {
        @Override
        public String toString() {
            return String.format("%-44s %10.0f %10.0f %10.0f %12.0f", name, p50, p99, mean, throughput);
        }
    }

    private <T> Uni<T> plain(java.util.function.Function<Mutiny.Session, Uni<T>> work) {
        return sessions.openSession().chain(session -> session.withTransaction(tx -> work.apply(session))
                .eventually(session::close));
    }

    private Row measure(String name, Supplier<Uni<?>> transaction) {
        long[] nanos = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long start = System.nanoTime();
            await(transaction::get);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1_000;

        // Throughput: IN_FLIGHT transactions at a time until MEASURED are done.
        long start = System.nanoTime();
        for (int done = 0; done < MEASURED; done += IN_FLIGHT) {
            List<Uni<Object>> batch = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                batch.add(Uni.createFrom().deferred(transaction).map(result -> (Object) result));
            }
            await(() -> Uni.join().all(batch).andFailFast());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Row(name, nanos[MEASURED / 2] / 1_000.0, nanos[(int) (MEASURED * 0.99)] / 1_000.0, mean,
                MEASURED / seconds);
    }
}
