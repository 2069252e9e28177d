package io.cloudsentinel.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code cs.gateway.*}: the route table. */
@ConfigMapping(prefix = "cs.gateway")
public interface GatewayConfig {

    /** The largest request body passed on to a service; larger ones are refused with 413. */
    @WithDefault("2M")
    MemorySize maxBodySize();

    /** By name: the path prefixes a service owns and where it runs. */
    Map<String, Route> routes();

    /** Per-tenant rate limits by role; {@code default} applies to callers whose roles have none. */
    Map<String, RateLimit> rateLimits();

    /** {@code cs.gateway.activity.*}: the tenants.activity events this replica sends. */
    Activity activity();

    /**
     * Platform operators: {@code platform-admin} is granted only to a token of this issuer, verified with its own key
     * (an operator realm of the identity provider). Without it no caller is an operator.
     */
    Operators operators();

    interface Operators {
        /** The operators' token issuer ({@code iss}). */
        Optional<String> issuer();

        /** Where the operators' public key or JWKS is (file, classpath or https URL). */
        Optional<String> publicKeyLocation();

        /** The audience operators' tokens carry; the tenants' one when unset. */
        Optional<String> audience();
    }

    interface Activity {
        @WithDefault("true")
        boolean enabled();

        /** At most one event per tenant per interval on this replica. */
        @WithDefault("1m")
        Duration interval();

        @WithDefault("${cs.topics.tenants-activity}")
        String topic();

        /** Events waiting for the sender; beyond this they are dropped and counted. */
        @WithDefault("10000")
        int queueSize();

        @WithName("bootstrap-servers")
        @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
        String bootstrapServers();
    }

    interface RateLimit {
        /** Sustained requests per second. */
        long perSecond();

        /** Requests allowed in a burst above the sustained rate. */
        long burst();
    }

    interface Route {
        List<String> prefixes();

        /** Absent until the service is deployed: its paths then answer 503, not 404. */
        Optional<String> url();

        /** Longest wait for the upstream's answer (its headers, or the next bytes of it): then 504. */
        @WithDefault("10s")
        Duration timeout();

        Breaker breaker();
    }

    /**
     * The circuit breaker of one upstream: it opens when at least {@code failure-ratio} of the last
     * {@code request-volume} calls failed (unreachable or timed out), answers 503 at once while open, and lets one
     * trial call through after {@code delay}.
     */
    interface Breaker {
        @WithDefault("20")
        int requestVolume();

        @WithDefault("0.5")
        double failureRatio();

        @WithDefault("5s")
        Duration delay();
    }
}
