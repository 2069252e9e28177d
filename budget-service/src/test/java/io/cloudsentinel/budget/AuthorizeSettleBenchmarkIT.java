package io.cloudsentinel.budget;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.budget.store.Reservations;
import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.BenchmarkKnobs;
import io.cloudsentinel.testing.HttpLoad;
import io.cloudsentinel.testing.JdbcLoad;
import io.cloudsentinel.testing.NothingMeasured;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.Pgbench;
import io.cloudsentinel.testing.PipelinedStatements;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.SignedCalls;
import io.vertx.core.Future;

/**
 * Authorize+settle pairs over HTTP against the packaged service (saturated, and paced at a fixed rate), and the same
 * statements straight into PostgreSQL over PgJDBC as the physical limit; pgbench, when it is on the PATH, measures
 * that limit again as a cross-check. Prints figures; asserts nothing about them, but a round that measured nothing
 * fails ({@link NothingMeasured}). Run with budget-service/bench/authorize-settle.sh.
 */
@Tag("benchmark")
class AuthorizeSettleBenchmarkIT {

    private static final String DATABASE = "cloudsentinel_budget_bench";
    private static final int TENANTS = 1_000;
    private static final Duration WARMUP = BenchmarkKnobs.seconds("CS_BENCH_WARMUP_SECONDS", 60);
    /** CS_BENCH_MEASURE_SECONDS: the length of every measured round, HTTP and physical limit alike. */
    private static final Duration MEASURE = BenchmarkKnobs.seconds("CS_BENCH_MEASURE_SECONDS", 20);
    /** Clients of the physical limit: as many connections as the service's pool. */
    private static final int LIMIT_CLIENTS = 16;
    private static final Duration LIMIT_WARMUP = WARMUP.compareTo(Duration.ofSeconds(10)) < 0 ? WARMUP
            : Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Connections of the load generator: enough for 64 pairs in flight and for a paced run's stalls. */
    private static final int CONNECTIONS = 64;
    private static final Pattern HOLD_ID = Pattern.compile("\"holdId\"\\s*:\\s*\"([0-9a-f-]+)\"");

    private SignedCalls calls;
    private int port;

    record Figures(String name, double pairsPerSecond, HttpLoad.Latency authorize, HttpLoad.Latency settle) {
        /** A physical limit: pairs per second and failed pairs only (no latencies: its columns stay blank). */
        static Figures limit(String name, double pairsPerSecond, long failed) {
            return new Figures(name, pairsPerSecond, new HttpLoad.Latency(0, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, failed, 0),
                    new HttpLoad.Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                            0));
        }

        long errors() {
            return authorize.non2xx() + authorize.failures() + settle.non2xx() + settle.failures();
        }

        @Override
        public String toString() {
            if (authorize.count() == 0) {
                return String.format("%-50s %8.0f %8s %8s %8s %8s %8s %7d", name, pairsPerSecond, "", "", "", "", "",
                        errors());
            }
            return String.format("%-50s %8.0f %8.2f %8.2f %8.2f %8.2f %8.2f %7d", name, pairsPerSecond,
                    authorize.p50Millis(), authorize.p99Millis(), authorize.p999Millis(), settle.p50Millis(),
                    settle.p99Millis(), errors());
        }
    }

    @Test
    void authorizeSettlePairs() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        ContextKeys.Generated gateway = ServiceInstance.gatewayKeys();
        calls = ServiceInstance.calls(gateway);
        List<String> properties = new ArrayList<>(List.of("quarkus.log.level=WARN",
                "quarkus.datasource.reactive.max-size=16"));
        // CS_BENCH_PROPS: extra service properties for an experiment, comma-separated (key=value,...)
        properties.addAll(BenchmarkKnobs.list("CS_BENCH_PROPS"));
        try (PackagedService service = ServiceInstance.start(DATABASE, gateway, properties.toArray(String[]::new));
                HttpLoad load = new HttpLoad("127.0.0.1", service.port, CONNECTIONS)) {
            port = service.port;
            for (int t = 1; t <= TENANTS; t++) {
                TenantId tenant = tenant(t);
                String budget = "{\"monthlyLimitMicros\": 1000000000000}";
                HttpResponse<String> created = send("PUT", "/api/v1/budgets/me", calls.headers(new TenantContext(
                        tenant, "bench", Set.of(Roles.TENANT_ADMIN)), "PUT", "/api/v1/budgets/me", budget), budget)
                        .join();
                if (created.statusCode() / 100 != 2) {
                    throw new IllegalStateException("setting the budget of tenant " + tenant + " failed: "
                            + created.statusCode() + " " + created.body());
                }
            }
            List<Figures> figures = new ArrayList<>();
            closed(load, "warm-up", CONNECTIONS, WARMUP, false);
            if (BenchmarkKnobs.isSet("CS_BENCH_QUICK")) {
                // one 1,000-tenant round only, for trying a change: closed with CS_BENCH_CONNECTIONS pairs in flight,
                // or paced at CS_BENCH_RATE requests/s
                Optional<String> rate = BenchmarkKnobs.value("CS_BENCH_RATE");
                int inFlight = Integer.parseInt(BenchmarkKnobs.value("CS_BENCH_CONNECTIONS").orElse("64"));
                System.out.println("QUICK " + (rate.isPresent()
                        ? paced(load, "1,000 tenants, " + rate.get() + " requests/s", Double.parseDouble(rate.get()))
                        : closed(load, "1,000 tenants, " + inFlight + " pairs in flight", inFlight, MEASURE, false)));
                HTTP.send(HttpRequest.newBuilder(service.management("/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().lines()
                        .filter(line -> line.startsWith("cs_") || line.startsWith("http_server_requests_seconds_count"))
                        .forEach(line -> System.out.println("QUICK " + line));
                return;
            }
            figures.add(closed(load, "HTTP, 1,000 tenants, 64 pairs in flight", 64, MEASURE, false));
            figures.add(closed(load, "HTTP, one hot tenant, 64 pairs in flight", 64, MEASURE, true));
            figures.add(closed(load, "HTTP, 1,000 tenants, 8 pairs in flight", 8, MEASURE, false));
            figures.add(paced(load, "HTTP, 1,000 tenants, paced 1,000 requests/s", 1_000));
            // the JDK client needs its JIT like the service (pgbench, in C, does not): its first seconds are not a limit
            limit(postgres, TENANTS, "PgJDBC warm-up", false, LIMIT_WARMUP);
            Figures limitSpread = limit(postgres, TENANTS, "PgJDBC, 1,000 tenants, 16 clients", false);
            Figures limitHot = limit(postgres, 1, "PgJDBC, one hot tenant, 16 clients", false);
            figures.add(limitSpread);
            figures.add(limitHot);
            // what the second round trip of each transaction costs (the service needs it to decide commit or not)
            figures.add(limit(postgres, TENANTS, "PgJDBC, 1,000 tenants, COMMIT in the pipeline", true));
            // the same limit measured by another client, when there is one: a JDBC figure far off pgbench's would
            // say the JDK side is what it measures
            Optional<Path> pgbench = Pgbench.onPath();
            if (pgbench.isPresent()) {
                figures.add(pgbench(pgbench.get(), postgres, TENANTS, "pgbench, 1,000 tenants, 16 clients",
                        false));
                figures.add(pgbench(pgbench.get(), postgres, 1, "pgbench, one hot tenant, 16 clients",
                        false));
                figures.add(pgbench(pgbench.get(), postgres, TENANTS, "pgbench, 1,000 tenants, COMMIT in the pipeline",
                        true));
            } else {
                System.out.println("pgbench is not on the PATH: no cross-check of the PgJDBC limit");
            }

            List<String> report = new ArrayList<>();
            report.add(String.format("%-50s %8s %8s %8s %8s %8s %8s %7s", "load (one pair = authorize + settle)",
                    "pairs/s", "auth p50", "auth p99", "p99.9", "settle50", "settle99", "errors"));
            figures.forEach(f -> report.add(f.toString()));
            report.add(String.format("service / PgJDBC limit, 1,000 tenants: %.0f%%   one hot tenant: %.0f%%",
                    100 * figures.get(0).pairsPerSecond() / limitSpread.pairsPerSecond(),
                    100 * figures.get(1).pairsPerSecond() / limitHot.pairsPerSecond()));
            report.add("(latencies in ms; paced latencies count from when the pair was due; pgbench rows, when pgbench"
                    + " is on the PATH, cross-check the PgJDBC limit)");
            Path out = Path.of("target", "benchmark", "authorize-settle.txt");
            Files.createDirectories(out.getParent());
            Files.write(out, report);
            report.forEach(System.out::println);
        }
    }

    /** {@code inFlight} pairs at all times: saturation. */
    private Figures closed(HttpLoad load, String name, int inFlight, Duration duration, boolean hot) {
        return figures(name, load.closed(inFlight, duration, pair(hot)));
    }

    /** Pairs started at a fixed rate (two requests each), whatever the service's answers do. */
    private Figures paced(HttpLoad load, String name, double requestsPerSecond) {
        return figures(name, load.paced(requestsPerSecond / 2, MEASURE, pair(false)));
    }

    private static Figures figures(String name, HttpLoad.Result result) {
        System.out.println(name + ": " + result);
        NothingMeasured.requireAnswers(name, result, "authorize", "settle");
        return new Figures(name, result.cyclesPerSecond(), result.of("authorize"), result.of("settle"));
    }

    /**
     * One pair: authorize for a tenant (random, or the first when hot), then settle the hold it got. Each request is
     * signed as it is sent, as the gateway signs it: a context is bound to its target and body (the idempotency key
     * and the hold id differ every time), and lives 10 s.
     */
    private Function<HttpLoad.Exchange, Future<?>> pair(boolean hot) {
        String run = Long.toString(System.nanoTime(), 36);
        AtomicLong keys = new AtomicLong();
        return exchange -> {
            TenantContext tenant = new TenantContext(tenant(hot ? 1 : 1 + ThreadLocalRandom.current().nextInt(TENANTS)),
                    "bench", Set.of(Roles.TENANT_USER));
            String authorize = "{\"model\":\"gpt-4o-mini\",\"inputTokens\":200,\"maxOutputTokens\":100,"
                    + "\"idempotencyKey\":\"" + run + "-" + keys.incrementAndGet() + "\"}";
            return exchange.send("authorize", post(tenant, "/api/v1/llm/authorizations", authorize))
                    .compose(response -> {
                        Matcher hold = HOLD_ID.matcher(response.body());
                        if (response.status() != 201 || !hold.find()) {
                            return Future.succeededFuture();
                        }
                        return exchange.send("settle", post(tenant, "/api/v1/llm/authorizations/" + hold.group(1)
                                + "/settle", "{\"inputTokens\":200,\"outputTokens\":50}"));
                    });
        };
    }

    /** A POST with the content type and a context signed for it. */
    private HttpLoad.Request post(TenantContext tenant, String path, String body) {
        Map<String, String> headers = new HashMap<>(calls.headers(tenant, "POST", path, body));
        headers.put("Content-Type", "application/json");
        return HttpLoad.Request.post(path, headers, body);
    }

    /** The physical limit over PgJDBC: {@link #LIMIT_CLIENTS} connections running pairs for the measured time. */
    private static Figures limit(PostgresServer postgres, int tenants, String name, boolean commitInPipeline)
            throws Exception {
        return limit(postgres, tenants, name, commitInPipeline, MEASURE);
    }

    private static Figures limit(PostgresServer postgres, int tenants, String name, boolean commitInPipeline,
            Duration duration) throws Exception {
        JdbcLoad.Result result = JdbcLoad.closed(postgres.jdbcUrl(DATABASE), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD, LIMIT_CLIENTS, duration, connection -> new LimitPairs(connection, tenants,
                        commitInPipeline));
        System.out.printf("%s: %d pairs in %s, %.0f pairs/s, %s%n", name, result.transactions(), result.elapsed(),
                result.perSecond(), result.failures());
        NothingMeasured.requireCompleted(name, result.transactions(), result.failures());
        return Figures.limit(name, result.perSecond(), result.failed());
    }

    /**
     * The physical limit, one client: the service's own two statements ({@link Reservations}) as cs_app, with the same
     * round trips as the service: BEGIN, the tenant and the statement in one, then COMMIT (or ROLLBACK when the
     * reservation was refused, as the service decides); or with the COMMIT in the same round trip too. Tenants 1..n
     * are the UUIDs the HTTP load uses.
     */
    private static final class LimitPairs implements JdbcLoad.Client {

        /** What TenantTransactions.inTenantPipelined sends before the statement (platform keeps it private). */
        private static final String ENTER = "SELECT set_config('app.tenant_id', $1, true),"
                + " set_config('app.system_task', '', true), set_config('role', 'none', true),"
                + " set_config('plan_cache_mode', 'force_generic_plan', true)";

        private final Connection connection;
        private final int tenants;
        private final boolean commitInPipeline;
        private final PipelinedStatements authorize;
        private final PipelinedStatements settle;
        private final PreparedStatement authorizing;
        private final PreparedStatement settling;

        LimitPairs(Connection connection, int tenants, boolean commitInPipeline) throws SQLException {
            this.connection = connection;
            this.tenants = tenants;
            this.commitInPipeline = commitInPipeline;
            if (commitInPipeline) {
                // auto-commit, BEGIN and COMMIT written out: PgJDBC sends all four before its one Sync
                authorize = PipelinedStatements.of("BEGIN", ENTER, Reservations.AUTHORIZE, "COMMIT");
                settle = PipelinedStatements.of("BEGIN", ENTER, Reservations.SETTLE, "COMMIT");
            } else {
                // auto-commit off: PgJDBC sends its BEGIN with the statements, commit() is the second round trip
                connection.setAutoCommit(false);
                authorize = PipelinedStatements.of(ENTER, Reservations.AUTHORIZE);
                settle = PipelinedStatements.of(ENTER, Reservations.SETTLE);
            }
            authorizing = authorize.prepare(connection);
            settling = settle.prepare(connection);
        }

        @Override
        public boolean transaction() throws SQLException {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String tenant = tenant(1 + random.nextInt(tenants)).toString();
            // a version-4 UUID, but not UUID.randomUUID(): its one SecureRandom is shared by all 16 clients behind a
            // lock, where pgbench's random() costs nothing
            UUID hold = new UUID(random.nextLong() & ~0xF000L | 0x4000L,
                    random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            boolean held = authorize.execute(authorizing, rows -> rows.next() && rows.getObject("hold_id") != null,
                    tenant, hold, hold.toString(), "gpt-4o-mini", 200L, 100L, now, now.plusMinutes(10), 0L);
            finish(held);
            if (!held) {
                return false;
            }
            boolean charged = settle.execute(settling, rows -> rows.next() && rows.getObject("cost") != null,
                    tenant, hold, 200L, 50L, now, 0L);
            finish(charged);
            return charged;
        }

        /** The second round trip, unless the COMMIT went with the statements. */
        private void finish(boolean commit) throws SQLException {
            if (commitInPipeline) {
                return;
            }
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
        }
    }

    /** The cross-check: the same pairs through pgbench, {@link #LIMIT_CLIENTS} clients on 2 threads. */
    private static Figures pgbench(Path pgbench, PostgresServer postgres, int tenants, String name,
            boolean commitInPipeline) throws Exception {
        Pgbench.Result result = Pgbench.run(pgbench, postgres.jdbcUrl(DATABASE), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD, LIMIT_CLIENTS, 2, MEASURE, Map.of("tenants", Integer.toString(tenants)),
                pgbenchScript(commitInPipeline));
        System.out.println(name + "\n" + result.output());
        NothingMeasured.requireFinite(name, Map.of("tps (pgbench printed: " + result.output().strip() + ")",
                result.transactionsPerSecond()));
        return Figures.limit(name, result.transactionsPerSecond(), result.failed());
    }

    /**
     * The pairs of {@link LimitPairs} as a pgbench script: pgbench numbers stand in for the parameters, and
     * {@code \startpipeline} for PgJDBC's one round trip.
     */
    private static String pgbenchScript(boolean commitInPipeline) {
        String tenant = "'00000000-0000-4000-8000-' || lpad(:t::text, 12, '0')";
        String hold = "CAST('00000000-0000-4000-8000-' || lpad(:h::text, 12, '0') AS uuid)";
        String now = "CAST(now() AS timestamptz)";
        String authorize = Reservations.AUTHORIZE.replace("$1", hold).replace("$2", ":h::text")
                .replace("$3", "'gpt-4o-mini'").replace("$4", "CAST(200 AS bigint)").replace("$5", "CAST(100 AS bigint)")
                .replace("$6", now).replace("$7", "now() + interval '10 minutes'").replace("$8", "0");
        String settle = Reservations.SETTLE.replace("$1", hold).replace("$2", "CAST(200 AS bigint)")
                .replace("$3", "CAST(50 AS bigint)").replace("$4", "now()").replace("$5", "0");
        String enter = "SELECT set_config('app.tenant_id', " + tenant + ", true), set_config('app.system_task', '', true),"
                + " set_config('role', 'none', true), set_config('plan_cache_mode', 'force_generic_plan', true);\n";
        String end = commitInPipeline ? "COMMIT;\n\\endpipeline\n" : "\\endpipeline\nCOMMIT;\n";
        return "\\set t random(1, :tenants)\n\\set h random(1, 999999999999)\n"
                + "\\startpipeline\nBEGIN;\n" + enter + authorize.strip() + ";\n" + end
                + "\\startpipeline\nBEGIN;\n" + enter + settle.strip() + ";\n" + end;
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String path, Map<String, String> headers,
            String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static TenantId tenant(int number) {
        return TenantId.parse(String.format("00000000-0000-4000-8000-%012d", number));
    }
}
