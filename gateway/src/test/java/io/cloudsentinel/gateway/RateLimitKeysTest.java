package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Whose bucket a request takes from, read from configuration as the gateway reads it. */
class RateLimitKeysTest {

    private static final Map<String, String> LIMITS = Map.of(
            "cs.gateway.rate-limits.default.per-second", "1", "cs.gateway.rate-limits.default.burst", "4",
            "cs.gateway.rate-limits.platform-admin.per-second", "1", "cs.gateway.rate-limits.platform-admin.burst",
            "2");

    @Test
    void everyUserOfATenantSharesTheTenantsOneBucketWhateverTheirRoles() {
        RateLimits limits = new RateLimits(config(LIMITS), new SimpleMeterRegistry());
        TenantId tenant = TenantId.random();

        List<Boolean> allowed = new ArrayList<>();
        for (String role : List.of("tenant-user", "tenant-admin", "tenant-user", "tenant-admin", "tenant-admin")) {
            allowed.add(take(limits, new TenantContext(tenant, "user-with-" + role + allowed.size(), Set.of(role)))
                    .allowed());
        }

        assertThat(allowed).containsExactly(true, true, true, true, false);
        assertThat(take(limits, new TenantContext(TenantId.random(), "bob", Set.of("tenant-user"))).allowed())
                .as("another tenant").isTrue();
    }

    @Test
    void operatorsCountApartFromTheTenantWithTheirOwnLimit() {
        RateLimits limits = new RateLimits(config(LIMITS), new SimpleMeterRegistry());
        TenantId tenant = TenantId.random();
        TenantContext operator = new TenantContext(tenant, "op", Set.of("platform-admin"));

        assertThat(take(limits, operator).limit()).isEqualTo(2);
        assertThat(take(limits, operator).allowed()).isTrue();
        assertThat(take(limits, operator).allowed()).isFalse();
        assertThat(take(limits, new TenantContext(tenant, "alice", Set.of("tenant-user"))).remaining())
                .as("the tenant's own bucket untouched").isEqualTo(3);
    }

    @Test
    void withoutADefaultLimitTheGatewayRefusesToStartAndNamesTheKey() {
        GatewayConfig config = config(Map.of("cs.gateway.rate-limits.platform-admin.per-second", "50",
                "cs.gateway.rate-limits.platform-admin.burst", "100"));

        assertThatThrownBy(() -> new RateLimits(config, new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cs.gateway.rate-limits.default");
    }

    @Test
    void theRedisStoreWithoutAUrlRefusesToStartAndNamesTheKey() {
        Map<String, String> settings = new java.util.HashMap<>(LIMITS);
        settings.put("cs.gateway.rate-limit-store.kind", "redis");

        assertThatThrownBy(() -> new RateLimits(config(settings), new SimpleMeterRegistry()))
                .hasMessageContaining("cs.gateway.rate-limit-store.redis-url");
    }

    static RateLimits.Decision take(RateLimits limits, TenantContext caller) {
        return limits.take(caller).toCompletableFuture().join();
    }

    private static TenantContext caller(String... roles) {
        return new TenantContext(TenantId.random(), "alice", Set.of(roles));
    }

    static GatewayConfig config(Map<String, String> rateLimits) {
        return new SmallRyeConfigBuilder()
                // the converters Quarkus adds for "2M" and "1m"
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(GatewayConfig.class)
                .withSources(new PropertiesConfigSource(rateLimits, "test", 100))
                .build().getConfigMapping(GatewayConfig.class);
    }
}
