package io.cloudsentinel.crypto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.BenchmarkKnobs;
import io.cloudsentinel.testing.HttpLoad;
import io.cloudsentinel.testing.NothingMeasured;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.SignedCalls;

/**
 * 1 KiB encrypt and decrypt over HTTP with {@link HttpLoad} against the packaged service, a batch of 100 against 100
 * single calls, and the in-process seal against raw JCE AES-GCM. Prints figures; asserts nothing about them, but a
 * round that measured nothing (no 2xx answer, no JMH score) fails ({@link NothingMeasured}). Run with
 * crypto-service/bench/crypto.sh.
 */
@Tag("benchmark")
class CryptoBenchmarkIT {

    /** CS_BENCH_QUICK: every row once, briefly (3 s rounds, 1 s JMH iterations): proves a change runs, not its speed. */
    private static final boolean QUICK = BenchmarkKnobs.isSet("CS_BENCH_QUICK");
    private static final Duration WARMUP = Duration.ofSeconds(QUICK ? 2 : 8);
    private static final Duration MEASURE = Duration.ofSeconds(QUICK ? 3 : 15);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A context lives 10 s: the load's one request is signed again when its context is this old. */
    private static final long RESIGN_NANOS = Duration.ofSeconds(4).toNanos();

    private SignedCalls calls;
    private int port;
    private final TenantId tenant = TenantId.random();

    @Test
    void cryptoThroughput() throws Exception {
        // the prod profile refuses the published test keys: the service trusts a fresh gateway key of this run
        ContextKeys.Generated gateway = ContextKeys.generate("bench-gateway");
        calls = new SignedCalls(gateway.signingKey(), Api.AUDIENCE);
        byte[] kib = new byte[1024];
        RANDOM.nextBytes(kib);
        String plaintext = Base64.getEncoder().encodeToString(kib);
        List<String> report = new ArrayList<>();
        report.add(String.format("%-52s %10s %10s %10s", "load (1 KiB items)", "items/s", "p50 ms", "p99 ms"));
        try (PackagedService service = PackagedService.start("cloudsentinel_crypto_bench",
                Map.of("CS_CONTEXT_GATEWAY_KEYS", gateway.publicKey(), "ENCRYPTION_KEY", random(48), "KDF_SALT",
                        random(32)),
                "quarkus.log.category.\"io.cloudsentinel.crypto.audit\".level=INFO")) {
            port = service.port;
            String encrypt = "{\"purpose\":\"bench\",\"plaintext\":\"" + plaintext + "\"}";
            load("warm-up", 32, encrypt, "/api/v1/crypto/encrypt", 1, WARMUP);
            report.add(load("HTTP encrypt, 64 connections", 64, encrypt, "/api/v1/crypto/encrypt", 1, MEASURE));
            report.add(load("HTTP encrypt, 8 connections", 8, encrypt, "/api/v1/crypto/encrypt", 1, MEASURE));
            report.add(load("HTTP encrypt, paced 5,000/s, 16 connections", 16, encrypt, "/api/v1/crypto/encrypt", 1,
                    MEASURE, 5_000));
            String ciphertext = single(encrypt);
            report.add(load("HTTP decrypt, 64 connections", 64, "{\"purpose\":\"bench\",\"ciphertext\":\""
                    + ciphertext + "\"}", "/api/v1/crypto/decrypt", 1, MEASURE));
            String batch = "{\"purpose\":\"bench\",\"items\":[" + String.join(",",
                    java.util.Collections.nCopies(100, "\"" + plaintext + "\"")) + "]}";
            report.add(load("HTTP encrypt, batches of 100, 8 connections", 8, batch, "/api/v1/crypto/encrypt", 100,
                    MEASURE));
        }
        report.add(inProcess());
        Path out = Path.of("target", "benchmark", "crypto.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
    }

    /**
     * {@code connections} POSTs in flight for the duration, all with one body and a context signed for it (signed
     * again every few seconds, before it expires; the service verifies every request all the same).
     */
    private String load(String name, int connections, String body, String path, int itemsPerRequest,
            Duration duration) {
        return load(name, connections, body, path, itemsPerRequest, duration, 0);
    }

    /**
     * The same, paced at {@code perSecond} requests when it is positive (each timed from when it was due, so a stall
     * is not hidden), else as many as {@code connections} keep in flight.
     */
    private String load(String name, int connections, String body, String path, int itemsPerRequest,
            Duration duration, double perSecond) {
        SignedPost request = new SignedPost(path, body);
        HttpLoad.Result result;
        try (HttpLoad load = new HttpLoad("127.0.0.1", port, connections)) {
            result = perSecond > 0 ? load.paced(perSecond, duration, exchange -> exchange.send("post", request.get()))
                    : load.closed(connections, duration, exchange -> exchange.send("post", request.get()));
        }
        System.out.println(name + ": " + result);
        NothingMeasured.requireAnswers(name, result, "post");
        HttpLoad.Latency post = result.of("post");
        return String.format("%-52s %10.0f %10.2f %10.2f%s", name, result.cyclesPerSecond() * itemsPerRequest,
                post.p50Millis(), post.p99Millis(), post.non2xx() + post.failures() > 0 ? "  (non-2xx or failed!)" : "");
    }

    private String single(String body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                + "/api/v1/crypto/encrypt")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        calls.headers(context(), "POST", "/api/v1/crypto/encrypt", body).forEach(request::header);
        String response = java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = Pattern.compile("\"ciphertext\":\"([^\"]+)\"").matcher(response);
        if (!matcher.find()) {
            throw new IllegalStateException("encrypt failed: " + response);
        }
        return matcher.group(1);
    }

    private TenantContext context() {
        return new TenantContext(tenant, "bench", Set.of(Roles.TENANT_USER));
    }

    /** One POST with the content type and a signed context, signed again once it is {@link #RESIGN_NANOS} old. */
    private final class SignedPost {
        private final String path;
        private final String body;
        private volatile HttpLoad.Request request;
        private volatile long signedAt;

        SignedPost(String path, String body) {
            this.path = path;
            this.body = body;
        }

        HttpLoad.Request get() {
            long now = System.nanoTime();
            HttpLoad.Request current = request;
            if (current == null || now - signedAt > RESIGN_NANOS) {
                Map<String, String> headers = new HashMap<>(calls.headers(context(), "POST", path, body));
                headers.put("Content-Type", "application/json");
                current = HttpLoad.Request.post(path, Map.copyOf(headers), body);
                signedAt = now;
                request = current;
            }
            return current;
        }
    }

    /** JMH (SealBenchmark), one fork, 2 x 2 s warm-up and 3 x 2 s measurement per benchmark (1 x 1 s each quick). */
    private static String inProcess() throws Exception {
        var results = new org.openjdk.jmh.runner.Runner(new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(SealBenchmark.class.getName()).forks(1).warmupIterations(QUICK ? 1 : 2)
                .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(QUICK ? 1 : 2))
                .measurementIterations(QUICK ? 1 : 3)
                .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(QUICK ? 1 : 2)).build()).run();
        // NaN until JMH reports a score: a benchmark it did not run leaves the ratio NaN, which fails below
        double ours = Double.NaN;
        double raw = Double.NaN;
        for (var result : results) {
            double score = result.getPrimaryResult().getScore();
            if (result.getParams().getBenchmark().endsWith("envelopeSeal")) {
                ours = score;
            } else {
                raw = score;
            }
        }
        NothingMeasured.requireFinite("in process (JMH)", Map.of("envelope seal / raw JCE", 100 * ours / raw));
        return String.format("in process (JMH): envelope seal %.0f ops/s, raw JCE AES-GCM %.0f ops/s (%.0f%%)", ours,
                raw, 100 * ours / raw);
    }

    private static String random(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
