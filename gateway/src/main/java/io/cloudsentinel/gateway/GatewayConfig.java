package io.cloudsentinel.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.gateway.*}: the route table. */
@ConfigMapping(prefix = "cs.gateway")
public interface GatewayConfig {

    /** By name: the path prefixes a service owns and where it runs. */
    Map<String, Route> routes();

    /** Per-tenant rate limits by role; {@code default} applies to callers whose roles have none. */
    Map<String, RateLimit> rateLimits();

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

        /** Longest wait for the upstream's answer. */
        @WithDefault("10s")
        Duration timeout();
    }
}
