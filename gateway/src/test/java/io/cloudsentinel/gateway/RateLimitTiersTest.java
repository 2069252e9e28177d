package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Which limit a caller gets, read from configuration as the gateway reads it. */
class RateLimitTiersTest {

    @Test
    void theMostGenerousTierAmongTheCallersRolesApplies() {
        RateLimits limits = new RateLimits(config(Map.of(
                "cs.gateway.rate-limits.default.per-second", "5", "cs.gateway.rate-limits.default.burst", "10",
                "cs.gateway.rate-limits.tenant-admin.per-second", "50", "cs.gateway.rate-limits.tenant-admin.burst",
                "100", "cs.gateway.rate-limits.platform-admin.per-second", "20",
                "cs.gateway.rate-limits.platform-admin.burst", "40")));

        assertThat(limits.take(caller("tenant-user")).limit()).isEqualTo(10);
        assertThat(limits.take(caller("platform-admin")).limit()).isEqualTo(40);
        assertThat(limits.take(caller("platform-admin", "tenant-admin")).limit()).isEqualTo(100);
    }

    @Test
    void withoutADefaultLimitTheGatewayRefusesToStartAndNamesTheKey() {
        GatewayConfig config = config(Map.of("cs.gateway.rate-limits.tenant-admin.per-second", "50",
                "cs.gateway.rate-limits.tenant-admin.burst", "100"));

        assertThatThrownBy(() -> new RateLimits(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cs.gateway.rate-limits.default");
    }

    private static TenantContext caller(String... roles) {
        return new TenantContext(TenantId.random(), "alice", Set.of(roles));
    }

    private static GatewayConfig config(Map<String, String> rateLimits) {
        return new SmallRyeConfigBuilder()
                // the converters Quarkus adds for "2M" and "1m"
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(GatewayConfig.class)
                .withSources(new PropertiesConfigSource(rateLimits, "test", 100))
                .build().getConfigMapping(GatewayConfig.class);
    }
}
