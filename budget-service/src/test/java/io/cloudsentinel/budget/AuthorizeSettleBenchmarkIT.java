package io.cloudsentinel.budget;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.budget.repository.Reservations;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.Wrk;

/**
 * Authorize+settle pairs over HTTP against the packaged service, and the same statements driven by pgbench as the
 * physical limit. Prints figures; asserts nothing. Run with budget-service/bench/authorize-settle.sh.
 */
@Tag("benchmark")
class AuthorizeSettleBenchmarkIT {

    private static final String DATABASE = "cloudsentinel_budget_bench";
    private static final int TENANTS = 1_000;
    private static final int USERS = 64;
    private static final Duration WARMUP = Duration.ofSeconds(
            Long.parseLong(Optional.ofNullable(System.getenv("CS_BENCH_WARMUP_SECONDS")).orElse("30")));
    private static final Duration MEASURE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SignedContextCodec codec;
    private int port;

    record Figures(String name, double pairsPerSecond, double p50Millis, double p99Millis, long errors) {
        @Override
        public String toString() {
            return String.format("%-46s %10.0f %12.2f %12.2f %8d", name, pairsPerSecond, p50Millis, p99Millis, errors);
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
        Optional.ofNullable(System.getenv("CS_BENCH_PROPS")).filter(p -> !p.isBlank())
                .ifPresent(p -> properties.addAll(List.of(p.split(","))));
        try (PackagedService service = ServiceInstance.start(DATABASE, secret, properties.toArray(String[]::new))) {
            port = service.port;
            for (int t = 1; t <= TENANTS; t++) {
                TenantId tenant = tenant(t);
                send("PUT", "/api/v1/budgets/me", codec.sign(new TenantContext(tenant, "bench",
                        Set.of(Roles.TENANT_ADMIN))), "{\"monthlyLimitMicros\": 1000000000000}").join();
            }
            // The load comes from wrk (C, epoll): java.net.http could not drive more than ~250 requests/s on these two
            // cores and measured itself, not the service.
            List<Figures> figures = new ArrayList<>();
            wrk("warm-up", 64, WARMUP);
            if (System.getenv("CS_BENCH_QUICK") != null) {
                // one 1,000-tenant round only, for trying a change
                int connections = Integer.parseInt(Optional.ofNullable(System.getenv("CS_BENCH_CONNECTIONS")).orElse("64"));
                System.out.println("QUICK " + wrk("HTTP (wrk), 1,000 tenants, " + connections + " connections",
                        connections, MEASURE));
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().lines()
                        .filter(line -> line.startsWith("cs_") || line.startsWith("http_server_requests_seconds_count"))
                        .forEach(line -> System.out.println("QUICK " + line));
                return;
            }
            figures.add(wrk("HTTP (wrk), 1,000 tenants, 64 connections", 64, MEASURE));
            figures.add(wrk("HTTP (wrk), one hot tenant, 64 connections", 64, MEASURE, true));
            figures.add(wrk("HTTP (wrk), 1,000 tenants, 4 connections", 4, MEASURE));
            Figures pgbenchSpread = pgbench(postgres, TENANTS, "pgbench, 1,000 tenants, 16 clients");
            Figures pgbenchHot = pgbench(postgres, 1, "pgbench, one hot tenant, 16 clients");
            figures.add(pgbenchSpread);
            figures.add(pgbenchHot);

            List<String> report = new ArrayList<>();
            report.add(String.format("%-46s %10s %12s %12s %8s", "load (one pair = authorize + settle)", "pairs/s",
                    "p50 req ms", "p99 req ms", "non-2xx"));
            figures.forEach(f -> report.add(f.toString()));
            report.add(String.format("service / pgbench, 1,000 tenants: %.0f%%   one hot tenant: %.0f%%",
                    100 * figures.get(0).pairsPerSecond() / pgbenchSpread.pairsPerSecond(),
                    100 * figures.get(1).pairsPerSecond() / pgbenchHot.pairsPerSecond()));
            Path out = Path.of("target", "benchmark", "authorize-settle.txt");
            Files.createDirectories(out.getParent());
            Files.write(out, report);
            report.forEach(System.out::println);
        }
    }

    private Figures wrk(String name, int connections, Duration duration) throws Exception {
        return wrk(name, connections, duration, false);
    }

    /** Runs wrk with fresh signed contexts (they live 60 s); a pair is an authorize and its settle. */
    private Figures wrk(String name, int connections, Duration duration, boolean hot)
            throws Exception {
        StringBuilder lua = new StringBuilder("return {\n");
        for (int t = 1; t <= TENANTS; t++) {
            lua.append("{");
            codec.sign(new TenantContext(tenant(t), "bench", Set.of(Roles.TENANT_USER)))
                    .forEach((header, value) -> lua.append("[\"").append(header).append("\"]=\"").append(value)
                            .append("\","));
            lua.append("[\"Content-Type\"]=\"application/json\"},\n");
        }
        Path headers = Files.createTempFile("bench-headers", ".lua");
        Files.writeString(headers, lua.append("}\n").toString());
        Wrk.Result result = Wrk.run(name, connections, connections, duration, Path.of("src", "test", "resources",
                "bench", "authorize-settle.lua"), "http://127.0.0.1:" + port,
                Map.of("CS_BENCH_HEADERS",
                        headers.toString(), "CS_BENCH_HOT", hot ? "1" : "0"));
        if (!result.measured()) {
            return new Figures(name + " (wrk missing or failed: see test output)", Double.NaN, Double.NaN, Double.NaN,
                    1);
        }
        return new Figures(name, result.requestsPerSecond() / 2, result.p50Millis(), result.p99Millis(),
                result.non2xx());
    }

    private Figures pgbench(PostgresServer postgres, int tenants, String name) throws Exception {
        Optional<Path> pgbench = List.of("/usr/bin/pgbench", "/usr/local/bin/pgbench").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst();
        if (pgbench.isEmpty()) {
            return new Figures(name + " (pgbench not installed)", Double.NaN, Double.NaN, Double.NaN, 0);
        }
        Path script = Files.createTempFile("authorize-settle", ".pgbench");
        Files.writeString(script, pgbenchScript());
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
            return new Figures(name + " (failed: see test output)", Double.NaN, Double.NaN, Double.NaN, 1);
        }
        Matcher failed = Pattern.compile("number of failed transactions: (\\d+)").matcher(output);
        System.out.println(output);
        return new Figures(name, Double.parseDouble(tps.group(1)), Double.NaN, Double.NaN,
                failed.find() ? Long.parseLong(failed.group(1)) : 0);
    }

    /**
     * The physical limit: the service's own two statements ({@link Reservations}), with the same round trips
     * (BEGIN, tenant and statement pipelined, then COMMIT), as cs_app. Tenants 1..n map to the UUIDs the HTTP load
     * uses; pgbench numbers stand in for the parameters.
     */
    private static String pgbenchScript() {
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
        return "\\set t random(1, :tenants)\n\\set h random(1, 999999999999)\n"
                + "\\startpipeline\nBEGIN;\n" + enter + authorize.strip() + ";\n\\endpipeline\nCOMMIT;\n"
                + "\\startpipeline\nBEGIN;\n" + enter + settle.strip() + ";\n\\endpipeline\nCOMMIT;\n";
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
