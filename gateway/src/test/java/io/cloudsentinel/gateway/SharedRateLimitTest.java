package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.RedisTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import redis.embedded.RedisServer;

/** Two gateway replicas on one Redis give a tenant its limit once, not twice; a Redis outage lets requests pass. */
class SharedRateLimitTest {

    @Test
    void twoReplicasTakingAtOnceFromOneTenantAllowExactlyItsBurst() {
        RateLimits first = replica(RedisTestServer.shared().url());
        RateLimits second = replica(RedisTestServer.shared().url());
        TenantContext tenant = new TenantContext(TenantId.random(), "alice", Set.of("tenant-user"));
        try {
            long started = System.nanoTime();
            List<CompletableFuture<RateLimits.Decision>> taken = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                taken.add((i % 2 == 0 ? first : second).take(tenant).toCompletableFuture());
            }
            long allowed = taken.stream().map(CompletableFuture::join).filter(RateLimits.Decision::allowed).count();
            long refilled = (long) Math.ceil((System.nanoTime() - started) / 1e9); // one token a second

            // a bucket per replica would allow 20
            assertThat(allowed).as("a burst of 10 over both replicas").isBetween(10L, 10L + refilled);
            assertThat(refilled).as("the takes were quick enough to tell").isLessThan(10);
            assertThat(RateLimitKeysTest.take(first, new TenantContext(TenantId.random(), "bob",
                    Set.of("tenant-user"))).allowed()).as("another tenant").isTrue();
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void whileRedisIsDownRequestsPassWithoutRateLimitHeadersAndAreCounted() throws Exception {
        int port = freePort();
        RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"").build();
        redis.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RateLimits limits = new RateLimits(RateLimitKeysTest.config(settings("redis://127.0.0.1:" + port)), registry);
        try {
            TenantContext tenant = new TenantContext(TenantId.random(), "alice", Set.of("tenant-user"));
            assertThat(RateLimitKeysTest.take(limits, tenant).known()).isTrue();
            redis.stop();

            RateLimits.Decision decision = RateLimitKeysTest.take(limits, tenant);

            assertThat(decision.allowed()).isTrue();
            assertThat(decision.known()).isFalse();
            assertThat(registry.counter("cs.gateway.rate.limit.store.failures").count()).isEqualTo(1);
        } finally {
            limits.close();
            redis.stop();
        }
    }

    private static RateLimits replica(String url) {
        return new RateLimits(RateLimitKeysTest.config(settings(url)), new SimpleMeterRegistry());
    }

    private static Map<String, String> settings(String url) {
        Map<String, String> settings = new HashMap<>();
        settings.put("cs.gateway.rate-limits.default.per-second", "1");
        settings.put("cs.gateway.rate-limits.default.burst", "10");
        settings.put("cs.gateway.rate-limit-store.kind", "redis");
        settings.put("cs.gateway.rate-limit-store.redis-url", url);
        settings.put("cs.gateway.rate-limit-store.timeout", "500ms");
        return settings;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
