package io.cloudsentinel.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.context.ContextConfigs;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.BenchmarkKnobs;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.Wrk;
import io.smallrye.jwt.build.Jwt;

/**
 * {@code GET /api/v1/budgets/me} through the packaged gateway versus straight to the packaged budget-service, with wrk:
 * paced at about 1,000 requests/s and at saturation, over 1,000 tenants, in alternating rounds. Prints the added p50/p99 and
 * the throughput
 * ratio; asserts nothing. Run with gateway/bench/latency.sh.
 */
@Tag("benchmark")
class GatewayLatencyBenchmarkIT {

    /** CS_BENCH_GATEWAY_PROPS: extra gateway properties for an experiment, comma-separated (key=value,...). */
    private static String[] gatewayProperties() {
        List<String> properties = new ArrayList<>(List.of("quarkus.log.level=WARN"));
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
    /** A paced round is ~13,000 requests, so its p99 rests on ~130 of them; a saturated one has several times more. */
    private static final Duration PACED = Duration.ofSeconds(15);
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
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getEncoder().encodeToString(random);
        SignedContextCodec codec = new SignedContextCodec(ContextConfigs.fixed(secret));
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
                "cloudsentinel_budget_gwbench", Map.of("CS_CONTEXT_SECRET", secret), "quarkus.log.level=WARN");
                PackagedService gateway = this.gateway = PackagedService.start(Path.of(System.getProperty("service.jar")),
                        "cloudsentinel_gateway_bench", gatewayEnvironment(Map.of("CS_CONTEXT_SECRET", secret,
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
            Function<TenantId, Map<String, String>> signed = tenant -> codec.sign(new TenantContext(tenant, "bench",
                    Set.of(Roles.TENANT_USER)));
            String viaGateway = "http://127.0.0.1:" + gateway.port;
            String direct = "http://127.0.0.1:" + budget.port;

            wrk("warm-up direct (creates the budgets)", direct, tenants, signed, 16, WARMUP, 0);
            wrk("warm-up through the gateway", viaGateway, tenants, bearer, 16, WARMUP, 0);
            // Alternating rounds, each figure the median of its rounds: on two shared cores one run alone swings by
            // more than the gateway adds. Paced: 20 connections, one request per 20 ms each (about 1,000 req/s).
            List<Figures> directPaced = new ArrayList<>();
            List<Figures> gatewayPaced = new ArrayList<>();
            List<Figures> directMax = new ArrayList<>();
            List<Figures> gatewayMax = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                directPaced.add(wrk("direct, paced, round " + round, direct, tenants, signed, 20, PACED, 20));
                gatewayPaced.add(wrk("gateway, paced, round " + round, viaGateway, tenants, bearer, 20, PACED, 20));
                directMax.add(wrk("direct, saturation, round " + round, direct, tenants, signed, 32, SATURATED, 0));
                gatewayMax.add(wrk("gateway, saturation, round " + round, viaGateway, tenants, bearer, 32, SATURATED,
                        0));
            }
            Figures directFixed = median("direct, paced (20 connections)", directPaced);
            Figures gatewayFixed = median("gateway, paced (20 connections)", gatewayPaced);
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

    private Figures wrk(String name, String base, List<TenantId> tenants,
            Function<TenantId, Map<String, String>> headersOf, int connections, Duration duration, int delayMillis)
            throws Exception {
        // fresh for each run: a signed context lives 60 s
        StringBuilder lua = new StringBuilder("return {\n");
        for (TenantId tenant : tenants) {
            lua.append("{");
            headersOf.apply(tenant).forEach((header, value) -> lua.append("[\"").append(header).append("\"]=\"")
                    .append(value).append("\","));
            lua.append("},\n");
        }
        Path headers = Files.createTempFile("bench-headers", ".lua");
        Files.writeString(headers, lua.append("}\n").toString());
        Duration gatewayBefore = gateway.cpuTime();
        Duration serviceBefore = budget.cpuTime();
        Wrk.Result result = Wrk.run(name, 2, connections, duration, Path.of("src", "test", "resources", "bench",
                "get.lua"), base,
                Map.of("CS_BENCH_HEADERS", headers.toString(), "CS_BENCH_PATH", PATH,
                        "CS_BENCH_DELAY_MS", Integer.toString(delayMillis)));
        double requests = Math.max(1, result.requestsPerSecond() * duration.toSeconds());
        return new Figures(result.measured() ? name : name + " (wrk missing or failed: see output)",
                result.requestsPerSecond(), result.p50Millis(), result.p99Millis(), result.non2xx(),
                gateway.cpuTime().minus(gatewayBefore).toNanos() / 1e3 / requests,
                budget.cpuTime().minus(serviceBefore).toNanos() / 1e3 / requests);
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
