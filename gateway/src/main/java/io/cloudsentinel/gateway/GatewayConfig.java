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

    /**
     * The Quarkus TLS configuration ({@code quarkus.tls.<name>.trust-store.*}) whose trust store verifies upstreams
     * reached over https; unset: the JVM's default trust store.
     */
    Optional<String> upstreamTls();

    /**
     * The rate limits: {@code default} is every tenant's (one bucket per tenant, whoever of it calls);
     * {@code platform-admin}, when set, that of operators' requests, counted apart from the tenant's.
     */
    Map<String, RateLimit> rateLimits();

    /** Where the tenants' buckets live. */
    RateLimitStore rateLimitStore();

    /** A limit per client address, applied before the token is verified (floods of bad tokens stay cheap). */
    AddressLimit addressLimit();

    /**
     * Proxies in front of the gateway (addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}): from them the client
     * address is taken from {@code X-Forwarded-For}; from any other peer it is the connection's own address.
     */
    Optional<List<String>> trustedProxies();

    interface RateLimitStore {
        /** {@code memory}: each replica counts alone (right for one replica); {@code redis}: all replicas share. */
        @WithDefault("memory")
        Kind kind();

        /**
         * {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS (CS_GATEWAY_RATE_LIMIT_STORE_REDIS_URL).
         */
        Optional<String> redisUrl();

        /** The longest wait for Redis: past it, or while Redis is down, requests pass unlimited and are counted. */
        @WithDefault("250ms")
        Duration timeout();

        enum Kind {
            MEMORY,
            REDIS
        }
    }

    interface AddressLimit {
        @WithDefault("true")
        boolean enabled();

        /** Sustained requests per second from one address (many users may share one behind a NAT). */
        @WithDefault("200")
        long perSecond();

        @WithDefault("400")
        long burst();
    }

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

        /**
         * {@code http://} or {@code https://} host and optional port (default 80 or 443). Absent until the service is
         * deployed: its paths then answer 503, not 404.
         */
        Optional<String> url();

        /** The service's name as its signed contexts address it (its {@code cs.context.audience}). */
        String audience();

        /**
         * Uploads: request bodies stream to the service as they arrive instead of being buffered. The client must send
         * the body's {@code Content-Digest} (sha-256), which the gateway signs and the service checks at the end of the
         * stream.
         */
        @WithDefault("false")
        boolean streamedBody();

        /** This route's request body limit; {@code cs.gateway.max-body-size} when unset. */
        Optional<MemorySize> maxBodySize();

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
