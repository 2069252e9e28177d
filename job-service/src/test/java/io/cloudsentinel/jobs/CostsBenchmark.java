package io.cloudsentinel.jobs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import io.cloudsentinel.jobs.costs.FocusCsv;
import io.cloudsentinel.jobs.costs.ImportOutcome;
import io.cloudsentinel.jobs.service.CostImports;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.BenchmarkKnobs;
import io.cloudsentinel.testing.NothingMeasured;
import io.cloudsentinel.testing.PostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * FOCUS ingestion: a generated file of CS_BENCH_COST_ROWS rows (1,000,000) read and loaded by the service's own
 * import (CostImports: Jackson CSV, checks, INSERT … unnest batches in one tenant transaction, replacement and
 * aggregates), rows/s and the heap it keeps (old generation after collections, sampled), against a tenth of the
 * file to show whether the heap grows with the file; and as the limit COPY of the same rows into the same table
 * through PgJDBC's CopyManager (as a superuser: COPY FROM is refused for a role under row-level security, which is
 * why the service inserts instead). Prints figures, asserts nothing about them. Run by job-service/bench/costs.sh.
 */
@QuarkusTest
@JobsTestResources
@TestProfile(CostsBenchmark.Profile.class)
@Tag("benchmark")
class CostsBenchmark {

    private static final int ROWS = number("CS_BENCH_COST_ROWS", BenchmarkKnobs.isSet("CS_BENCH_QUICK") ? 100_000
            : 1_000_000);
    private static final List<String> SERVICES = List.of("Amazon EC2", "Amazon S3", "AWS Lambda", "Amazon RDS",
            "Amazon CloudFront", "Amazon DynamoDB", "AWS Glue", "Amazon EKS");
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1", "us-west-2");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(Map.of("cs.jobs.costs.imports.max-upload-size", "8G",
                    "quarkus.http.limits.max-body-size", "9G"));
            // CS_BENCH_COST_BATCH: rows per INSERT statement (the service's default otherwise)
            BenchmarkKnobs.value("CS_BENCH_COST_BATCH")
                    .ifPresent(rows -> config.put("cs.jobs.costs.imports.batch-size", rows));
            return config;
        }
    }

    @Inject
    CostImports imports;

    @Test
    void ingestion() throws Exception {
        Path dir = Path.of("target", "benchmark");
        Files.createDirectories(dir);
        Path small = dir.resolve("focus-small.csv");
        Path full = dir.resolve("focus-full.csv");
        Path copyCsv = dir.resolve("cost-rows-copy.csv");
        UUID copyImport = UUID.randomUUID();
        TenantId copyTenant = TenantId.random();
        generate(small, ROWS / 10, null, null, null);
        generate(full, ROWS, copyCsv, copyTenant, copyImport);

        List<String> report = new ArrayList<>();
        report.add("| round | rows | seconds | rows/s | heap kept (MiB, old gen after GC, peak) |");
        report.add("|---|---|---|---|---|");
        Round warm = load(small);
        Round tenth = load(small);
        Round whole = load(full);
        Round copy = copy(copyCsv);
        Round parse = parseOnly(full);
        for (Round round : List.of(tenth, whole, copy, parse)) {
            NothingMeasured.requireCompleted(round.name, round.rows, "no row");
        }
        report.add(row("service import, " + String.format("%,d", tenth.rows) + " rows", tenth));
        report.add(row("service import, " + String.format("%,d", whole.rows) + " rows", whole));
        report.add(row("limit: COPY of the same rows (CopyManager)", copy));
        report.add(row("part: FocusReader alone (parse and checks, no database)", parse));
        report.add("");
        report.add(String.format("import / COPY: %.0f%% (goal ≥ 50%%); heap growth for 10× the rows: %+.1f MiB;"
                + " warm-up round %,d rows in %.1f s; %d cores; file %,d MB", 100.0 * whole.rate() / copy.rate(),
                whole.heapMiB - tenth.heapMiB, warm.rows, warm.seconds, Runtime.getRuntime().availableProcessors(),
                Files.size(full) / 1_000_000));
        Path out = dir.resolve("costs.txt");
        Files.write(out, report);
        report.forEach(System.out::println);
        Files.deleteIfExists(full);
        Files.deleteIfExists(copyCsv);
    }

    private Round load(Path file) throws IOException {
        TenantId tenant = TenantId.random();
        HeapWatch heap = HeapWatch.start();
        long start = System.nanoTime();
        ImportOutcome outcome;
        try (InputStream body = Files.newInputStream(file)) {
            outcome = imports.upload(tenant, "bench", body);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double heapMiB = heap.stop();
        if (outcome.status() != ImportOutcome.ImportStatus.SUCCEEDED) {
            throw new IllegalStateException("the import failed: " + outcome.failure());
        }
        return new Round("import", outcome.rowsLoaded(), seconds, heapMiB);
    }

    private static Round parseOnly(Path file) throws Exception {
        long start = System.nanoTime();
        io.cloudsentinel.jobs.costs.FocusReadResult result;
        try (InputStream body = Files.newInputStream(file)) {
            result = new io.cloudsentinel.jobs.costs.FocusReader().read(body, batch -> {
            });
        }
        return new Round("parse", result.acceptedCount(), (System.nanoTime() - start) / 1e9, 0);
    }

    private static Round copy(Path csv) throws Exception {
        HeapWatch heap = HeapWatch.start();
        long start = System.nanoTime();
        long rows;
        try (Connection connection = PostgresServer.shared().adminConnection("cloudsentinel_jobs");
                Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            rows = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    COPY cost_rows (tenant_id, source, import_id, file, line, billing_period_start, billing_period_end,
                                    charge_period_start, charge_period_end, charge_day, charge_category,
                                    billing_currency, billed_cost, effective_cost, service_name, service_category,
                                    provider_name, sub_account_id, region_id, resource_id, consumed_quantity,
                                    consumed_unit, tags)
                    FROM STDIN WITH (FORMAT csv)
                    """, in);
        }
        return new Round("copy", rows, (System.nanoTime() - start) / 1e9, heap.stop());
    }

    /**
     * Writes a FOCUS file of AWS's flavour, one month of usage rows, and when asked the same rows in cost_rows' own
     * column order for COPY.
     */
    private static void generate(Path focus, int rows, Path copyCsv, TenantId tenant, UUID importId)
            throws IOException {
        Random random = new Random(rows);
        LocalDate first = LocalDate.parse("2026-10-01");
        try (BufferedWriter out = Files.newBufferedWriter(focus, StandardCharsets.UTF_8);
                BufferedWriter copy = copyCsv == null ? null : Files.newBufferedWriter(copyCsv)) {
            out.write(FocusCsv.line(FocusCsv.AWS_COLUMNS));
            for (int i = 0; i < rows; i++) {
                LocalDate day = first.plusDays(i % 31);
                String billed = BigDecimal.valueOf(random.nextInt(100_000_000), 8).toPlainString();
                String effective = BigDecimal.valueOf(random.nextInt(100_000_000), 8).toPlainString();
                String service = SERVICES.get(i % SERVICES.size());
                String region = REGIONS.get(i % REGIONS.size());
                String account = "1234567890" + (i % 7);
                String resource = "arn:aws:ec2:" + region + ":" + account + ":instance/i-" + (i % 5_000);
                String tags = "{\"team\":\"t" + (i % 9) + "\",\"env\":\"prod\"}";
                Map<String, String> values = Map.ofEntries(Map.entry("BilledCost", billed),
                        Map.entry("EffectiveCost", effective), Map.entry("BillingCurrency", "USD"),
                        Map.entry("BillingPeriodStart", "2026-10-01 00:00:00"),
                        Map.entry("BillingPeriodEnd", "2026-11-01 00:00:00"),
                        Map.entry("ChargePeriodStart", day + " 00:00:00"),
                        Map.entry("ChargePeriodEnd", day.plusDays(1) + " 00:00:00"),
                        Map.entry("ChargeCategory", "Usage"), Map.entry("ServiceName", service),
                        Map.entry("ServiceCategory", "Compute"), Map.entry("ProviderName", "AWS"),
                        Map.entry("SubAccountId", account), Map.entry("RegionId", region),
                        Map.entry("ResourceId", resource), Map.entry("ConsumedQuantity", "1"),
                        Map.entry("ConsumedUnit", "Hrs"), Map.entry("Tags", tags));
                out.write(FocusCsv.line(FocusCsv.AWS_COLUMNS.stream()
                        .map(column -> values.getOrDefault(column, column.startsWith("x_") ? "extra" : "")).toList()));
                if (copy != null) {
                    copy.write(FocusCsv.line(List.of(tenant.toString(), "bench", importId.toString(), "1",
                            Long.toString(i + 2L), "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", day + "T00:00:00Z",
                            day.plusDays(1) + "T00:00:00Z", day.toString(), "Usage", "USD", billed, effective, service,
                            "Compute", "AWS", account, region, resource, "1", "Hrs", tags)));
                }
            }
        }
    }

    private static String row(String name, Round round) {
        return String.format("| %s | %,d | %.1f | %,.0f | %.0f |", name, round.rows, round.seconds, round.rate(),
                round.heapMiB);
    }

    private static int number(String knob, int orElse) {
        return BenchmarkKnobs.value(knob).map(Integer::parseInt).orElse(orElse);
    }

    private record Round(String name, long rows, double seconds, double heapMiB) {

        double rate() {
            return rows / seconds;
        }
    }

    /**
     * The heap a round keeps: the largest old-generation occupancy right after a collection while it runs (what
     * survives collections, unlike the sawtooth of young allocations), sampled every 50 ms.
     */
    private static final class HeapWatch {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;

        private HeapWatch() {
            System.gc();
            sampler = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(oldGenAfterGc(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            sampler.setDaemon(true);
        }

        static HeapWatch start() {
            HeapWatch watch = new HeapWatch();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            watch.sampler.start();
            return watch;
        }

        double stop() {
            running.set(false);
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Math.max(peak.get(), oldGenAfterGc()) / (1024.0 * 1024.0);
        }

        private static long oldGenAfterGc() {
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null
                        && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                    used += pool.getCollectionUsage().getUsed();
                }
            }
            return used;
        }
    }
}
