package io.cloudsentinel.budget;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.BenchmarkKnobs;
import io.cloudsentinel.testing.HttpLoad;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

/**
 * Authorize+settle pairs over HTTP against the packaged service (saturated, and paced at a fixed rate), and the same
 * statements driven by pgbench as the physical limit. Prints figures; asserts nothing. Run with
 * budget-service/bench/authorize-settle.sh.
 */
@Tag("benchmark")
class AuthorizeSettleBenchmarkIT {

    private static final String DATABASE = "cloudsentinel_budget_bench";
    private static final int TENANTS = 1_000;
    private static final Duration WARMUP = BenchmarkKnobs.seconds("CS_BENCH_WARMUP_SECONDS", 60);
    private static final Duration MEASURE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Connections of the load generator: enough for 64 pairs in flight and for a paced run's stalls. */
    private static final int CONNECTIONS = 64;
    private static final Pattern HOLD_ID = Pattern.compile("\"holdId\"\\s*:\\s*\"([0-9a-f-]+)\"");

    private SignedContextCodec codec;
    private int port;

    record Figures(String name, double pairsPerSecond, HttpLoad.Latency authorize, HttpLoad.Latency settle) {
        static Figures pgbench(String name, double pairsPerSecond, long failed) {
            HttpLoad.Latency none = new HttpLoad.Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, failed, 0);
            return new Figures(name, pairsPerSecond, none, none);
        }

        long errors() {
            return authorize.non2xx() + authorize.failures() + settle.non2xx() + settle.failures();
        }

        @Override
        public String toString() {
            return String.format("%-50s %8.0f %8.2f %8.2f %8.2f %8.2f %8.2f %7d", name, pairsPerSecond,
                    authorize.p50Millis(), authorize.p99Millis(), authorize.p999Millis(), settle.p50Millis(),
                    settle.p99Millis(), errors());
        }
    }

    @Test
    void authorizeSettlePairs() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String secret = ServiceInstance.randomSecret();
        codec = ServiceInstance.codec(secret);
        List<String> properties = new ArrayList<>(List.of("quarkus.log.level=WARN",
                "quarkus.datasource.reactive.max-size=16"));
        // CS_BENCH_PROPS: extra service properties for an experiment, comma-separated (key=value,...)
        properties.addAll(BenchmarkKnobs.list("CS_BENCH_PROPS"));
        try (PackagedService service = ServiceInstance.start(DATABASE, secret, properties.toArray(String[]::new));
                HttpLoad load = new HttpLoad("127.0.0.1", service.port, CONNECTIONS)) {
            port = service.port;
            for (int t = 1; t <= TENANTS; t++) {
                TenantId tenant = tenant(t);
                send("PUT", "/api/v1/budgets/me", codec.sign(new TenantContext(tenant, "bench",
                        Set.of(Roles.TENANT_ADMIN))), "{\"monthlyLimitMicros\": 1000000000000}").join();
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
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().lines()
                        .filter(line -> line.startsWith("cs_") || line.startsWith("http_server_requests_seconds_count"))
                        .forEach(line -> System.out.println("QUICK " + line));
                return;
            }
            figures.add(closed(load, "HTTP, 1,000 tenants, 64 pairs in flight", 64, MEASURE, false));
            figures.add(closed(load, "HTTP, one hot tenant, 64 pairs in flight", 64, MEASURE, true));
            figures.add(closed(load, "HTTP, 1,000 tenants, 8 pairs in flight", 8, MEASURE, false));
            figures.add(paced(load, "HTTP, 1,000 tenants, paced 1,000 requests/s", 1_000));
            Figures pgbenchSpread = pgbench(postgres, TENANTS, "pgbench, 1,000 tenants, 16 clients", false);
            Figures pgbenchHot = pgbench(postgres, 1, "pgbench, one hot tenant, 16 clients", false);
            figures.add(pgbenchSpread);
            figures.add(pgbenchHot);
            // what the second round trip of each transaction costs (the service needs it to decide commit or not)
            figures.add(pgbench(postgres, TENANTS, "pgbench, 1,000 tenants, COMMIT in the pipeline", true));

            List<String> report = new ArrayList<>();
            report.add(String.format("%-50s %8s %8s %8s %8s %8s %8s %7s", "load (one pair = authorize + settle)",
                    "pairs/s", "auth p50", "auth p99", "p99.9", "settle50", "settle99", "errors"));
            figures.forEach(f -> report.add(f.toString()));
            report.add(String.format("service / pgbench, 1,000 tenants: %.0f%%   one hot tenant: %.0f%%",
                    100 * figures.get(0).pairsPerSecond() / pgbenchSpread.pairsPerSecond(),
                    100 * figures.get(1).pairsPerSecond() / pgbenchHot.pairsPerSecond()));
            report.add("(latencies in ms; paced latencies count from when the pair was due)");
            Path out = Path.of("target", "benchmark", "authorize-settle.txt");
            Files.createDirectories(out.getParent());
            Files.write(out, report);
            report.forEach(System.out::println);
        }
    }

    /** {@code inFlight} pairs at all times: saturation. */
    private Figures closed(HttpLoad load, String name, int inFlight, Duration duration, boolean hot) {
        return figures(name, load.closed(inFlight, duration, pair(signedHeaders(), hot)));
    }

    /** Pairs started at a fixed rate (two requests each), whatever the service's answers do. */
    private Figures paced(HttpLoad load, String name, double requestsPerSecond) {
        return figures(name, load.paced(requestsPerSecond / 2, MEASURE, pair(signedHeaders(), false)));
    }

    private static Figures figures(String name, HttpLoad.Result result) {
        Figures figures = new Figures(name, result.cyclesPerSecond(), result.of("authorize"), result.of("settle"));
        System.out.println(name + ": " + result);
        return figures;
    }

    /** One pair: authorize for a tenant (random, or the first when hot), then settle the hold it got. */
    private static Function<HttpLoad.Exchange, Future<?>> pair(List<Map<String, String>> headers, boolean hot) {
        String run = Long.toString(System.nanoTime(), 36);
        AtomicLong keys = new AtomicLong();
        return exchange -> {
            Map<String, String> tenant = headers.get(hot ? 0 : ThreadLocalRandom.current().nextInt(headers.size()));
            String authorize = "{\"model\":\"gpt-4o-mini\",\"inputTokens\":200,\"maxOutputTokens\":100,"
                    + "\"idempotencyKey\":\"" + run + "-" + keys.incrementAndGet() + "\"}";
            return exchange.send("authorize", new HttpLoad.Request(HttpMethod.POST, "/api/v1/llm/authorizations", tenant,
                    authorize)).compose(response -> {
                        Matcher hold = HOLD_ID.matcher(response.body());
                        if (response.status() != 201 || !hold.find()) {
                            return Future.succeededFuture();
                        }
                        return exchange.send("settle", new HttpLoad.Request(HttpMethod.POST,
                                "/api/v1/llm/authorizations/" + hold.group(1) + "/settle", tenant,
                                "{\"inputTokens\":200,\"outputTokens\":50}"));
                    });
        };
    }

    /** Fresh signed contexts (they live 60 s) for every tenant, with the content type. */
    private List<Map<String, String>> signedHeaders() {
        List<Map<String, String>> headers = new ArrayList<>();
        for (int t = 1; t <= TENANTS; t++) {
            Map<String, String> tenant = new HashMap<>(codec.sign(new TenantContext(tenant(t), "bench",
                    Set.of(Roles.TENANT_USER))));
            tenant.put("Content-Type", "application/json");
            headers.add(Map.copyOf(tenant));
        }
        return headers;
    }

    private Figures pgbench(PostgresServer postgres, int tenants, String name, boolean commitInPipeline)
            throws Exception {
        Optional<Path> pgbench = List.of("/usr/bin/pgbench", "/usr/local/bin/pgbench").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst();
        if (pgbench.isEmpty()) {
            return Figures.pgbench(name + " (pgbench not installed)", Double.NaN, 0);
        }
        Path script = Files.createTempFile("authorize-settle", ".pgbench");
        Files.writeString(script, pgbenchScript(commitInPipeline));
        URI jdbc = URI.create(postgres.jdbcUrl(DATABASE).substring("jdbc:".length()));
        ProcessBuilder builder = new ProcessBuilder(pgbench.get().toString(), "-n", "-M", "prepared", "-c", "16", "-j",
                "2", "-T",
                Long.toString(MEASURE.toSeconds()), "-D", "tenants=" + tenants, "-f", script.toString(), "-r",
                "-h", jdbc.getHost(), "-p", Integer.toString(jdbc.getPort()), "-U", DatabaseBootstrap.APP_ROLE, DATABASE)
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", PostgresServer.APP_PASSWORD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            return Figures.pgbench(name + " (failed: see test output)", Double.NaN, 1);
        }
        Matcher failed = Pattern.compile("number of failed transactions: (\\d+)").matcher(output);
        System.out.println(output);
        return Figures.pgbench(name, Double.parseDouble(tps.group(1)), failed.find() ? Long.parseLong(failed.group(1)) : 0);
    }

    /**
     * The physical limit: the service's own two statements ({@link Reservations}), with the same round trips
     * (BEGIN, tenant and statement pipelined, then COMMIT), as cs_app; or with the COMMIT in the pipeline too, one
     * round trip per transaction. Tenants 1..n map to the UUIDs the HTTP load uses; pgbench numbers stand in for the
     * parameters.
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
