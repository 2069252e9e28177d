package io.cloudsentinel.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.BenchmarkKnobs;
import io.cloudsentinel.testing.HttpLoad;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.NothingMeasured;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.SignedCalls;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.Future;

/**
 * {@code GET /api/v1/budgets/me} through the packaged gateway versus straight to the packaged budget-service, with
 * {@link HttpLoad}: paced at 1,000 requests/s and at saturation, over 1,000 tenants, in alternating rounds. Prints the
 * added p50/p99 and the throughput ratio; asserts nothing about them, but a round that measured nothing (no 2xx
 * answer) fails ({@link NothingMeasured}). Run with gateway/bench/latency.sh.
 */
@Tag("benchmark")
class GatewayLatencyBenchmarkIT {

    /** CS_BENCH_GATEWAY_PROPS: extra gateway properties for an experiment, comma-separated (key=value,...). */
    private static String[] gatewayProperties() {
        // the load comes from one address: its limit raised above the load, its bucket still taken on every request
        List<String> properties = new ArrayList<>(List.of("quarkus.log.level=WARN",
                "cs.gateway.address-limit.per-second=1000000", "cs.gateway.address-limit.burst=1000000"));
        properties.addAll(BenchmarkKnobs.list("CS_BENCH_GATEWAY_PROPS"));
        return properties.toArray(String[]::new);
    }

    /** CS_BENCH_GATEWAY_JAVA_OPTIONS: extra JVM options for the gateway only (a garbage collector, say). */
    private static Map<String, String> gatewayEnvironment(Map<String, String> environment) {
        Map<String, String> all = new HashMap<>(environment);
        BenchmarkKnobs.value("CS_BENCH_GATEWAY_JAVA_OPTIONS").ifPresent(options -> all.put("JAVA_TOOL_OPTIONS",
                options));
        return all;
    }

    private static final int TENANTS = 1_000;
    /** Per JVM path; C2 keeps compiling for ~50 s on two busy cores (jstat -compiler), which shows in the tail. */
    private static final Duration WARMUP = BenchmarkKnobs.seconds("CS_BENCH_WARMUP_SECONDS", 45);
    /** A paced round is 15,000 requests, so its p99 rests on 150 of them; a saturated one has several times more. */
    private static final Duration PACED = Duration.ofSeconds(15);
    private static final double PACED_RATE = 1_000;
    private static final Duration SATURATED = Duration.ofSeconds(10);
    /** CS_BENCH_QUICK: one round instead of five, for comparing two builds' CPU per request. */
    private static final int ROUNDS = BenchmarkKnobs.isSet("CS_BENCH_QUICK") ? 1 : 5;
    private static final String PATH = "/api/v1/budgets/me";

    /** CPU per request is read from /proc for both processes around the round: what each hop costs. */
    record Figures(String name, double requestsPerSecond, double p50Millis, double p99Millis, long errors,
            double gatewayCpuMicros, double serviceCpuMicros) {
        @Override
        public String toString() {
            return String.format("%-44s %10.0f %10.3f %10.3f %8d %10.0f %10.0f", name, requestsPerSecond, p50Millis,
                    p99Millis, errors, gatewayCpuMicros, serviceCpuMicros);
        }
    }

    private PackagedService gateway;
    private PackagedService budget;

    @Test
    void gatewayVersusDirect() throws Exception {
        ContextKeys.Generated contextKey = ContextKeys.generate("bench-gateway");
        SignedCalls direct = new SignedCalls(contextKey.signingKey(), "budget-service");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair identityProvider = generator.generateKeyPair();
        Path publicKey = Files.createTempFile("bench-idp-", ".pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(identityProvider.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        List<TenantId> tenants = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            tenants.add(TenantId.random());
        }

        try (PackagedService budget = this.budget = PackagedService.start(Path.of(System.getProperty("budget.jar")),
                "cloudsentinel_budget_gwbench", Map.of("CS_CONTEXT_GATEWAY_KEYS", contextKey.publicKey()),
                "quarkus.log.level=WARN");
                PackagedService gateway = this.gateway = PackagedService.start(Path.of(System.getProperty("service.jar")),
                        "cloudsentinel_gateway_bench",
                        gatewayEnvironment(Map.of("CS_CONTEXT_SIGNING_KEY", contextKey.signingKey(),
                                "CS_JWT_PUBLIC_KEY_LOCATION", publicKey.toString(),
                                "CS_SERVICE_URL_BUDGET", "http://127.0.0.1:" + budget.port,
                                "KAFKA_BOOTSTRAP_SERVERS", KafkaServer.shared().bootstrapServers())),
                        gatewayProperties())) {
            // One token per tenant for the whole benchmark, as a client keeps its token for its lifetime: a fresh
            // token per run would measure one RSA verification per tenant and run (the gateway caches verified tokens).
            Map<TenantId, Map<String, String>> tokens = new HashMap<>();
            for (TenantId tenant : tenants) {
                tokens.put(tenant, Map.of("Authorization", "Bearer " + Jwt.issuer(Tokens.ISSUER)
                        .audience(Tokens.AUDIENCE).subject("bench").claim("tenant_id", tenant.toString())
                        .groups(Set.of(Roles.TENANT_USER)).expiresIn(Duration.ofHours(1))
                        .jws().sign(identityProvider.getPrivate())));
            }
            Function<TenantId, Map<String, String>> bearer = tokens::get;
            // as the gateway does: a context signed for budget-service, GET and the path
            Function<TenantId, Map<String, String>> signed = tenant -> direct.headers(new TenantContext(tenant, "bench",
                    Set.of(Roles.TENANT_USER)), "GET", PATH, (byte[]) null);
            int viaGateway = gateway.port;
            int straight = budget.port;

            saturated("warm-up direct (creates the budgets)", straight, tenants, signed, 16, WARMUP);
            saturated("warm-up through the gateway", viaGateway, tenants, bearer, 16, WARMUP);
            // Alternating rounds, each figure the median of its rounds: on two shared cores one run alone swings by
            // more than the gateway adds. Paced: 1,000 requests/s on 20 connections, each request timed from when it
            // was due, so a stall is charged to every request it held up.
            List<Figures> directPaced = new ArrayList<>();
            List<Figures> gatewayPaced = new ArrayList<>();
            List<Figures> directMax = new ArrayList<>();
            List<Figures> gatewayMax = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                directPaced.add(paced("direct, paced, round " + round, straight, tenants, signed));
                gatewayPaced.add(paced("gateway, paced, round " + round, viaGateway, tenants, bearer));
                directMax.add(saturated("direct, saturation, round " + round, straight, tenants, signed, 32, SATURATED));
                gatewayMax.add(saturated("gateway, saturation, round " + round, viaGateway, tenants, bearer, 32,
                        SATURATED));
            }
            Figures directFixed = median("direct, paced 1,000/s (20 connections)", directPaced);
            Figures gatewayFixed = median("gateway, paced 1,000/s (20 connections)", gatewayPaced);
            Figures directSaturated = median("direct, saturation (32 connections)", directMax);
            Figures gatewaySaturated = median("gateway, saturation (32 connections)", gatewayMax);

            List<String> report = new ArrayList<>();
            report.add(String.format("%-44s %10s %10s %10s %8s %10s %10s", "GET " + PATH + ", 1,000 tenants, median of "
                    + ROUNDS, "req/s", "p50 ms", "p99 ms", "non-2xx", "gw µs/req", "svc µs/req"));
            List.of(directFixed, gatewayFixed, directSaturated, gatewaySaturated)
                    .forEach(f -> report.add(f.toString()));
            report.add(String.format("added when paced: p50 %+.3f ms, p99 %+.3f ms", gatewayFixed.p50Millis()
                    - directFixed.p50Millis(), gatewayFixed.p99Millis() - directFixed.p99Millis()));
            StringBuilder perRound = new StringBuilder("added p99 when paced, per round:");
            for (int round = 0; round < ROUNDS; round++) {
                perRound.append(String.format(" %+.2f", gatewayPaced.get(round).p99Millis() - directPaced.get(round)
                        .p99Millis()));
            }
            report.add(perRound.append(" ms").toString());
            report.add(String.format("added at saturation: p50 %+.3f ms, p99 %+.3f ms; throughput gateway/direct %.0f%%",
                    gatewaySaturated.p50Millis() - directSaturated.p50Millis(),
                    gatewaySaturated.p99Millis() - directSaturated.p99Millis(),
                    100 * gatewaySaturated.requestsPerSecond() / directSaturated.requestsPerSecond()));
            Path out = Path.of("target", "benchmark", "latency.txt");
            Files.createDirectories(out.getParent());
            Files.write(out, report);
            report.forEach(System.out::println);
        }
    }

    /** {@code connections} requests in flight at all times for the duration. */
    private Figures saturated(String name, int port, List<TenantId> tenants,
            Function<TenantId, Map<String, String>> headersOf, int connections, Duration duration) throws Exception {
        return round(name, port, tenants, headersOf, connections,
                (load, cycle) -> load.closed(connections, duration, cycle));
    }

    /** {@link #PACED_RATE} requests a second on 20 connections, whatever the answers do. */
    private Figures paced(String name, int port, List<TenantId> tenants,
            Function<TenantId, Map<String, String>> headersOf) throws Exception {
        return round(name, port, tenants, headersOf, 20, (load, cycle) -> load.paced(PACED_RATE, PACED, cycle));
    }

    /** One round on fresh connections: GETs round-robin over the tenants, the CPU both processes spent meanwhile. */
    private Figures round(String name, int port, List<TenantId> tenants,
            Function<TenantId, Map<String, String>> headersOf, int connections,
            BiFunction<HttpLoad, Function<HttpLoad.Exchange, Future<?>>, HttpLoad.Result> run) throws Exception {
        // a signed context lives 10 s: each tenant's request is signed again when it is 5 s old, one at a time, so
        // that the load never stalls to sign all of them at once
        int count = tenants.size();
        HttpLoad.Request[] requests = new HttpLoad.Request[count];
        long[] signedAt = new long[count];
        long refresh = Duration.ofSeconds(5).toNanos();
        int[] next = { ThreadLocalRandom.current().nextInt(count) };
        // cycles start on HttpLoad's one event loop: the counter and the requests need no lock
        Function<HttpLoad.Exchange, Future<?>> cycle = exchange -> {
            int i = next[0]++ % count;
            long now = System.nanoTime();
            if (requests[i] == null || now - signedAt[i] > refresh) {
                requests[i] = HttpLoad.Request.get(PATH, headersOf.apply(tenants.get(i)));
                signedAt[i] = now;
            }
            return exchange.send("get", requests[i]);
        };
        Duration gatewayBefore = gateway.cpuTime();
        Duration serviceBefore = budget.cpuTime();
        HttpLoad.Result result;
        try (HttpLoad load = new HttpLoad("127.0.0.1", port, connections)) {
            result = run.apply(load, cycle);
        }
        double gatewayMicros = gateway.cpuTime().minus(gatewayBefore).toNanos() / 1e3;
        double serviceMicros = budget.cpuTime().minus(serviceBefore).toNanos() / 1e3;
        System.out.println(name + ": " + result);
        NothingMeasured.requireAnswers(name, result, "get");
        HttpLoad.Latency get = result.of("get");
        return new Figures(name, result.cyclesPerSecond(), get.p50Millis(), get.p99Millis(),
                get.non2xx() + get.failures(), gatewayMicros / get.count(), serviceMicros / get.count());
    }

    private static Figures median(String name, List<Figures> rounds) {
        return new Figures(name, median(rounds, Figures::requestsPerSecond), median(rounds, Figures::p50Millis),
                median(rounds, Figures::p99Millis), rounds.stream().mapToLong(Figures::errors).sum(),
                median(rounds, Figures::gatewayCpuMicros), median(rounds, Figures::serviceCpuMicros));
    }

    private static double median(List<Figures> rounds, java.util.function.ToDoubleFunction<Figures> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        return values[values.length / 2];
    }

}
