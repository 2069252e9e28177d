package io.cloudsentinel.e2e.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cloudsentinel.local.Stack;
import io.cloudsentinel.testing.HttpLoad;
import io.cloudsentinel.testing.HttpLoad.Request;
import io.cloudsentinel.testing.Pgbench;
import io.cloudsentinel.testing.SignedCalls;
import io.vertx.core.Future;

/** Each headline figure, measured against the running stack; the report of them all. */
final class Measurements {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern HOLD = Pattern.compile("\"holdId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ROWS = Pattern.compile("\"rowsLoaded\"\\s*:\\s*(\\d+)");
    /** jobs.events values come from PostgreSQL's json_build_object, which spaces its colons. */
    private static final Pattern COMPLETED = Pattern.compile("\"state\"\\s*:\\s*\"COMPLETED\"");
    private static final Pattern JOB_TYPE = Pattern.compile("\"jobType\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern JOB_ID = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"");
    private static final int IN_FLIGHT = 32;
    private static final String LIMITS_DATABASE = "bench_limits";

    private final Stack stack;
    private final List<BenchReport.Figure> figures = new ArrayList<>();
    private final List<BenchReport.CallLatency> latencies = new ArrayList<>();
    private Map<String, Long> memory = Map.of();

    Measurements(Stack stack) {
        this.stack = stack;
    }

    void run() throws Exception {
        try (Connection admin = DriverManager.getConnection(stack.postgresAdminUrl("postgres"));
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + LIMITS_DATABASE);
        }
        budgetPairs();
        gatewayOverhead();
        crypto();
        focusIngest();
        jobPipeline();
        timeoutOvershoot();
        schedulerEmissions();
    }

    void memory(Map<String, Long> peaks) {
        this.memory = peaks;
    }

    BenchReport.Report report(String machine) {
        return new BenchReport.Report(BenchReport.today(), machine, figures, latencies,
                BenchReport.orderedServices(stack, memory));
    }

    // --- budget: authorize + settle pairs against pgbench doing the same writes ---

    private void budgetPairs() throws Exception {
        System.out.println("budget pairs: authorize + settle through the gateway, " + IN_FLIGHT + " in flight");
        List<BenchReport.Tenant> tenants = BenchReport.Tenant.create(stack, 50, List.of("tenant-admin"));
        for (BenchReport.Tenant tenant : tenants) {
            send("PUT", "/api/v1/budgets/me", tenant.json(), "{\"monthlyLimitMicros\":1000000000000}", 200);
        }
        Function<HttpLoad.Exchange, Future<?>> pair = exchange -> {
            BenchReport.Tenant tenant = tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()));
            return exchange.send("budget authorize", Request.post("/api/v1/llm/authorizations", tenant.json(),
                    "{\"model\":\"gpt-4o-mini\",\"inputTokens\":200,\"maxOutputTokens\":100,\"idempotencyKey\":\""
                            + UUID.randomUUID() + "\"}"))
                    .compose(answer -> {
                        Matcher hold = HOLD.matcher(answer.body());
                        if (answer.status() != 201 || !hold.find()) {
                            return Future.succeededFuture(answer);
                        }
                        return exchange.send("budget settle", Request.post("/api/v1/llm/authorizations/"
                                + hold.group(1) + "/settle", tenant.json(), "{\"inputTokens\":150,\"outputTokens\":50}"));
                    });
        };
        HttpLoad.Result result = closed("gateway", pair);
        latencies.add(new BenchReport.CallLatency("budget authorize", result.of("budget authorize")));
        latencies.add(new BenchReport.CallLatency("budget settle", result.of("budget settle")));

        double limit = Double.NaN;
        var pgbench = Pgbench.onPath();
        if (pgbench.isPresent()) {
            try (Connection admin = DriverManager.getConnection(stack.postgresAdminUrl(LIMITS_DATABASE));
                    Statement statement = admin.createStatement()) {
                statement.execute("CREATE TABLE counters (tenant int PRIMARY KEY, reserved bigint NOT NULL,"
                        + " spent bigint NOT NULL)");
                statement.execute("INSERT INTO counters SELECT g, 0, 0 FROM generate_series(1, 50) g");
                statement.execute("CREATE TABLE ledger (id bigserial PRIMARY KEY, tenant int NOT NULL,"
                        + " reserved bigint NOT NULL, spent bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())");
            }
            String script = """
                    \\set t random(1, 50)
                    BEGIN;
                    UPDATE counters SET reserved = reserved + 200 WHERE tenant = :t;
                    INSERT INTO ledger (tenant, reserved, spent) VALUES (:t, 200, 0);
                    COMMIT;
                    BEGIN;
                    UPDATE counters SET reserved = reserved - 200, spent = spent + 150 WHERE tenant = :t;
                    INSERT INTO ledger (tenant, reserved, spent) VALUES (:t, -200, 150);
                    COMMIT;
                    """;
            Pgbench.Result run = Pgbench.run(pgbench.get(), stack.postgresAdminUrl(LIMITS_DATABASE), "postgres", "",
                    16, 2, BenchReport.MEASURE, Map.of(), script);
            limit = run.transactionsPerSecond();
        }
        figures.add(new BenchReport.Figure("budget: authorize + settle pairs", result.cyclesPerSecond(), "pairs/s",
                "pgbench: the same writes (2 transactions of a counter update + ledger insert), 16 clients", limit,
                IN_FLIGHT + " pairs in flight over 50 tenants, " + BenchReport.MEASURE.toSeconds() + " s"));
    }

    // --- gateway: the same read through the gateway and straight to the service with a signed context ---

    private void gatewayOverhead() throws Exception {
        System.out.println("gateway overhead: GET /api/v1/budgets/me through the gateway and direct");
        List<BenchReport.Tenant> tenants = BenchReport.Tenant.create(stack, 20, List.of("tenant-user"));
        Function<HttpLoad.Exchange, Future<?>> viaGateway = exchange -> exchange.send("budgets/me via gateway",
                Request.get("/api/v1/budgets/me", tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()))
                        .bearer()));
        HttpLoad.Result gateway = closed("gateway", viaGateway);
        SignedCalls signed = BenchReport.signedAsGateway(stack, "budget-service");
        Function<HttpLoad.Exchange, Future<?>> direct = exchange -> {
            BenchReport.Tenant tenant = tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()));
            return exchange.send("budgets/me direct", Request.get("/api/v1/budgets/me",
                    signed.headers(tenant.context("tenant-user"), "GET", "/api/v1/budgets/me", (String) null)));
        };
        HttpLoad.Result straight = closed("budget-service", direct);
        // what the gateway adds to one request, at a rate both paths carry without queueing
        double rate = Math.min(gateway.cyclesPerSecond(), straight.cyclesPerSecond()) / 4;
        HttpLoad.Latency pacedGateway = paced("gateway", rate, viaGateway).of("budgets/me via gateway");
        HttpLoad.Latency pacedDirect = paced("budget-service", rate, direct).of("budgets/me direct");
        latencies.add(new BenchReport.CallLatency(String.format(java.util.Locale.ROOT,
                "budgets/me via gateway, paced %.0f/s", rate), pacedGateway));
        latencies.add(new BenchReport.CallLatency(String.format(java.util.Locale.ROOT,
                "budgets/me direct, paced %.0f/s", rate), pacedDirect));
        latencies.add(new BenchReport.CallLatency("budgets/me via gateway, saturated", gateway.of(
                "budgets/me via gateway")));
        latencies.add(new BenchReport.CallLatency("budgets/me direct, saturated", straight.of("budgets/me direct")));
        figures.add(new BenchReport.Figure("gateway: a read through the gateway", gateway.cyclesPerSecond(), "req/s",
                "the same read straight to budget-service (context signed as the gateway does)",
                straight.cyclesPerSecond(), String.format(java.util.Locale.ROOT, "saturation, %d in flight; added"
                        + " at %.0f/s paced: p50 +%.2f ms, p99 +%.2f ms", IN_FLIGHT, rate,
                        pacedGateway.p50Millis() - pacedDirect.p50Millis(),
                        pacedGateway.p99Millis() - pacedDirect.p99Millis())));
    }

    // --- crypto: encryptions through the gateway against AES-GCM in this JVM ---

    private void crypto() throws Exception {
        System.out.println("crypto: encrypt through the gateway, and raw JCE AES-256-GCM");
        List<BenchReport.Tenant> tenants = BenchReport.Tenant.create(stack, 20, List.of("tenant-user"));
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String body = "{\"purpose\":\"bench\",\"plaintext\":\"" + Base64.getEncoder().encodeToString(secret) + "\"}";
        Function<HttpLoad.Exchange, Future<?>> encrypt = exchange -> exchange.send("crypto encrypt",
                Request.post("/api/v1/crypto/encrypt", tenants.get(ThreadLocalRandom.current().nextInt(
                        tenants.size())).json(), body));
        HttpLoad.Result result = closed("gateway", encrypt);
        latencies.add(new BenchReport.CallLatency("crypto encrypt", result.of("crypto encrypt")));
        figures.add(new BenchReport.Figure("crypto: encryptions", result.cyclesPerSecond(), "ops/s",
                "raw JCE AES-256-GCM of the same 32 bytes, 2 threads in this JVM", jceEncryptionsPerSecond(secret),
                IN_FLIGHT + " in flight over 20 tenants, through the gateway"));
    }

    private static double jceEncryptionsPerSecond(byte[] plaintext) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + BenchReport.MEASURE.toNanos() / 3;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                try {
                    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                    SecureRandom random = new SecureRandom();
                    byte[] nonce = new byte[12];
                    while (System.nanoTime() < end) {
                        random.nextBytes(nonce);
                        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
                        cipher.updateAAD("cs-crypto-v1\ntenant\npurpose\n1".getBytes(StandardCharsets.UTF_8));
                        cipher.doFinal(plaintext);
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.get() / (BenchReport.MEASURE.toNanos() / 3 / 1e9);
    }

    // --- FOCUS ingestion: one upload through the gateway against psql's \copy of the same file ---

    private void focusIngest() throws Exception {
        int rows = Integer.getInteger("bench.focus.rows", 200_000);
        System.out.println("FOCUS ingest: " + rows + " rows uploaded through the gateway, and psql \\copy");
        Path file = Files.createTempFile("bench-focus-", ".csv");
        try {
            writeFocus(file, rows);
            BenchReport.Tenant tenant = BenchReport.Tenant.create(stack, 1, List.of("tenant-admin")).get(0);
            String digest = "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file))) + ":";
            long start = System.nanoTime();
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(stack.url("gateway")
                    .resolve("/api/v1/costs/imports?source=bench")).timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + tenant.token()).header("Content-Type", "text/csv")
                    .header("Content-Digest", digest).POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - start) / 1e9;
            Matcher loaded = ROWS.matcher(answer.body());
            if (answer.statusCode() != 201 || !loaded.find()) {
                throw new IllegalStateException("the upload failed: " + answer.statusCode() + " " + answer.body());
            }
            double copy = psqlCopyRowsPerSecond(file, rows);
            figures.add(new BenchReport.Figure("FOCUS ingestion: one upload", Long.parseLong(loaded.group(1)) / seconds,
                    "rows/s", "psql \\copy of the same file into a plain table (13 text columns)", copy,
                    rows + " rows, " + Files.size(file) / 1024 / 1024 + " MiB, parsed, checked, row-level security,"
                            + " daily sums"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void writeFocus(Path file, int rows) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (var out = Files.newBufferedWriter(file)) {
            out.write("BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost,"
                    + "EffectiveCost,BillingCurrency,ServiceName,RegionId,ResourceId,ConsumedQuantity,Tags\n");
            for (int i = 0; i < rows; i++) {
                LocalDate day = today.minusDays(1 + i % 60);
                LocalDate period = day.withDayOfMonth(1);
                String cost = (i % 997) + "." + String.format("%02d", i % 100);
                out.write(period + "T00:00:00Z," + period.plusMonths(1) + "T00:00:00Z," + day + "T00:00:00Z,"
                        + day.plusDays(1) + "T00:00:00Z,Usage," + cost + "," + cost + ",USD,Service " + (i % 40)
                        + ",us-east-1,i-" + (i % 5000) + ",24,\"{\"\"team\"\":\"\"t" + (i % 7) + "\"\"}\"\n");
            }
        }
    }

    private double psqlCopyRowsPerSecond(Path file, int rows) throws Exception {
        try (Connection admin = DriverManager.getConnection(stack.postgresAdminUrl(LIMITS_DATABASE));
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE focus_rows (billing_period_start text, billing_period_end text,"
                    + " charge_period_start text, charge_period_end text, charge_category text, billed_cost text,"
                    + " effective_cost text, billing_currency text, service_name text, region_id text,"
                    + " resource_id text, consumed_quantity text, tags text)");
        }
        URI database = URI.create(stack.postgresAdminUrl(LIMITS_DATABASE).substring("jdbc:".length()));
        long start = System.nanoTime();
        Process psql = new ProcessBuilder("psql", "-q", "-h", database.getHost(), "-p",
                Integer.toString(database.getPort()), "-U", "postgres", "-d", LIMITS_DATABASE, "-c",
                "\\copy focus_rows from '" + file + "' with (format csv, header)").redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes());
        if (psql.waitFor() != 0) {
            System.out.println("psql \\copy failed: " + output);
            return Double.NaN;
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    // --- the job pipeline: records on jobs.requested to COMPLETED on jobs.events ---

    private void jobPipeline() throws Exception {
        int tenants = 20;
        int perTenant = Integer.getInteger("bench.jobs.per-tenant", 100);
        System.out.println("job pipeline: " + tenants * perTenant + " noop jobs from jobs.requested to COMPLETED");
        Set<String> expected = new HashSet<>();
        try (KafkaConsumer<String, String> events = consumerAtEnd("jobs.events");
                KafkaProducer<String, String> producer = producer()) {
            long start = System.nanoTime();
            for (int t = 0; t < tenants; t++) {
                String tenant = UUID.randomUUID().toString();
                for (int i = 0; i < perTenant; i++) {
                    String job = UUID.randomUUID().toString();
                    expected.add(job);
                    ProducerRecord<String, String> record = new ProducerRecord<>("jobs.requested", tenant, """
                            {"schemaVersion":1,"jobId":"%s","tenantId":"%s","jobType":"noop","dedupKey":"bench-%d",\
                            "payload":{"holdMillis":0}}""".formatted(job, tenant, i));
                    record.headers().add("tenant-id", tenant.getBytes(StandardCharsets.UTF_8));
                    record.headers().add("event-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
            }
            producer.flush();
            Set<String> completed = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (completed.size() < expected.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : events.poll(Duration.ofMillis(200))) {
                    if (COMPLETED.matcher(record.value()).find()) {
                        Matcher job = JOB_ID.matcher(record.value());
                        if (job.find() && expected.contains(job.group(1))) {
                            completed.add(job.group(1));
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            figures.add(new BenchReport.Figure("jobs: requested to COMPLETED", completed.size() / seconds, "jobs/s",
                    "the broker alone: as many records produced (acks=all) and consumed back", brokerRoundTrips(
                            expected.size()),
                    completed.size() + " of " + expected.size() + " noop jobs of " + tenants
                            + " tenants, Kafka in and out (outbox relay), fair claims"));
        }
    }

    /** Records per second through the broker alone: produced to a scratch topic and read back by one consumer. */
    private double brokerRoundTrips(int records) throws Exception {
        String topic = "bench.round-trip";
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                stack.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (KafkaConsumer<String, String> consumer = consumerAtEnd(topic);
                KafkaProducer<String, String> producer = producer()) {
            String value = "{\"schemaVersion\":1,\"tenantId\":\"" + UUID.randomUUID()
                    + "\",\"jobType\":\"noop\",\"payload\":{\"holdMillis\":0}}";
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, Integer.toString(i % 20), value));
            }
            producer.flush();
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (read < records && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            return read / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Jobs that hold 5 s under a 1 s timeout: how late past the timeout each attempt ended. */
    private void timeoutOvershoot() throws Exception {
        System.out.println("timeout overshoot: 20 noop jobs holding 5 s under a 1 s timeout");
        BenchReport.Tenant tenant = BenchReport.Tenant.create(stack, 1, List.of("tenant-user")).get(0);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(stack.url("gateway").resolve("/api/v1/jobs"))
                    .header("Authorization", "Bearer " + tenant.token()).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "bench-" + UUID.randomUUID())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"noop\",\"payload\":{\"holdMillis\":5000}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body());
            if (answer.statusCode() != 201 || !id.find()) {
                throw new IllegalStateException("job request: " + answer.statusCode() + " " + answer.body());
            }
            jobs.add(id.group(1));
        }
        List<Long> overshootMillis = new ArrayList<>();
        Pattern attempt = Pattern.compile("\"startedAt\"\\s*:\\s*\"([^\"]+)\".*?\"finishedAt\"\\s*:\\s*\"([^\"]+)\"");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (String job : jobs) {
            while (System.nanoTime() < deadline) {
                String view = HTTP.send(HttpRequest.newBuilder(stack.url("gateway").resolve("/api/v1/jobs/" + job))
                        .header("Authorization", "Bearer " + tenant.token()).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher times = attempt.matcher(view);
                if (view.contains("\"DEAD_LETTER\"") && times.find()) {
                    overshootMillis.add(Duration.between(Instant.parse(times.group(1)), Instant.parse(times.group(2)))
                            .toMillis() - 1000);
                    break;
                }
                Thread.sleep(200); // polling the API as a user would
            }
        }
        overshootMillis.sort(Long::compare);
        if (overshootMillis.isEmpty()) {
            throw new IllegalStateException("no timed-out attempt was seen");
        }
        long p50 = overshootMillis.get(overshootMillis.size() / 2);
        long max = overshootMillis.get(overshootMillis.size() - 1);
        figures.add(new BenchReport.Figure("jobs: timeout overshoot, p50", p50, "ms", "the 1 s timeout", 1000,
                "max " + max + " ms over " + overshootMillis.size() + " attempts (end of attempt − start − timeout)"));
    }

    // --- scheduler: new tenants' activity to their schedules' emissions on jobs.requested ---

    private void schedulerEmissions() throws Exception {
        int count = Integer.getInteger("bench.scheduler.tenants", 1000);
        System.out.println("scheduler: " + count + " tenants become active; their schedules' emissions");
        Set<String> tenants = new HashSet<>();
        try (KafkaConsumer<String, String> requested = consumerAtEnd("jobs.requested");
                KafkaProducer<String, String> producer = producer()) {
            String now = Instant.now().toString();
            for (int i = 0; i < count; i++) {
                String tenant = UUID.randomUUID().toString();
                tenants.add(tenant);
                ProducerRecord<String, String> record = new ProducerRecord<>("tenants.activity", tenant,
                        "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"occurredAt\":\"" + now + "\"}");
                record.headers().add("tenant-id", tenant.getBytes(StandardCharsets.UTF_8));
                record.headers().add("event-id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
            long expected = 3L * count; // the active tier's three types, each due at once
            Set<String> schedules = new HashSet<>();
            long seen = 0;
            long first = 0;
            long last = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : requested.poll(Duration.ofMillis(200))) {
                    var header = record.headers().lastHeader("tenant-id");
                    Matcher type = JOB_TYPE.matcher(record.value());
                    // each schedule's first emission (a tenant whose next slot starts during the run emits again)
                    if (header != null && tenants.contains(new String(header.value(), StandardCharsets.UTF_8))
                            && type.find() && schedules.add(new String(header.value(), StandardCharsets.UTF_8) + "/"
                                    + type.group(1))) {
                        seen++;
                        last = System.nanoTime();
                        first = first == 0 ? last : first;
                    }
                }
            }
            double seconds = Math.max(1e-3, (last - first) / 1e9);
            figures.add(new BenchReport.Figure("scheduler: emissions", seen / seconds, "emissions/s",
                    "pgbench: per tenant one transaction advancing 3 schedule rows and writing 3 emission and 3 outbox"
                            + " rows, 8 clients",
                    emissionWritesPerSecond(),
                    seen + " of " + expected + " schedules' first slots of " + count
                            + " new tenants, first to last on jobs.requested"
                            + " (outbox, one transaction per batch)"));
        }
    }

    /** The database's rate for an emission's writes, without the sweep's query, Kafka or the relay. */
    private double emissionWritesPerSecond() throws Exception {
        var pgbench = Pgbench.onPath();
        if (pgbench.isEmpty()) {
            return Double.NaN;
        }
        try (Connection admin = DriverManager.getConnection(stack.postgresAdminUrl(LIMITS_DATABASE));
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE schedules (tenant int, job_type int, next_run_at timestamptz NOT NULL,"
                    + " PRIMARY KEY (tenant, job_type))");
            statement.execute("INSERT INTO schedules SELECT t, j, now() FROM generate_series(1, 1000) t,"
                    + " generate_series(1, 3) j");
            statement.execute("CREATE TABLE emissions (tenant int, job_type int, slot timestamptz,"
                    + " PRIMARY KEY (tenant, job_type, slot))");
            statement.execute("CREATE TABLE outbox (id bigserial PRIMARY KEY, topic text NOT NULL, key text NOT NULL,"
                    + " value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
        }
        String script = """
                \\set t random(1, 1000)
                BEGIN;
                UPDATE schedules SET next_run_at = now() + interval '1 hour' WHERE tenant = :t;
                INSERT INTO emissions SELECT :t, j, clock_timestamp() FROM generate_series(1, 3) j;
                INSERT INTO outbox (topic, key, value) SELECT 'jobs.requested', :t::text,
                    '{"schemaVersion":1,"tenantId":"' || :t || '","jobType":"t' || j || '","payload":{}}'
                  FROM generate_series(1, 3) j;
                COMMIT;
                """;
        Pgbench.Result run = Pgbench.run(pgbench.get(), stack.postgresAdminUrl(LIMITS_DATABASE), "postgres", "", 8, 2,
                BenchReport.MEASURE, Map.of(), script);
        return 3 * run.transactionsPerSecond();
    }

    // --- plumbing ---

    private HttpLoad.Result closed(String service, Function<HttpLoad.Exchange, Future<?>> cycle) {
        try (HttpLoad load = new HttpLoad("127.0.0.1", stack.url(service).getPort(), IN_FLIGHT)) {
            load.closed(IN_FLIGHT, BenchReport.WARM_UP, cycle);
            return load.closed(IN_FLIGHT, BenchReport.MEASURE, cycle);
        }
    }

    private HttpLoad.Result paced(String service, double rate, Function<HttpLoad.Exchange, Future<?>> cycle) {
        try (HttpLoad load = new HttpLoad("127.0.0.1", stack.url(service).getPort(), IN_FLIGHT)) {
            return load.paced(rate, BenchReport.MEASURE, cycle);
        }
    }

    private void send(String method, String path, Map<String, String> headers, String body, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.url("gateway").resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        }
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
                new StringSerializer());
    }

    private KafkaConsumer<String, String> consumerAtEnd(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before anything is sent
        return consumer;
    }
}
