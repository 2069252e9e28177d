package io.cloudsentinel.gateway;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.quarkus.scheduler.Scheduled;

/**
 * A token bucket per tenant and limit tier (Bucket4j), in memory on each replica: with N replicas behind a
 * round-robin balancer a tenant gets up to N times its limit. The tier is the most generous limit among the caller's
 * roles, or {@code default}.
 */
@ApplicationScoped
public class RateLimits {

    /** What the limiter decided, with what the RateLimit-* and Retry-After headers say. */
    record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private record Key(TenantId tenant, String tier) {
    }

    private final GatewayConfig config;
    /** The role tiers, most generous first: the first one a caller holds is its tier. */
    private final List<Map.Entry<String, GatewayConfig.RateLimit>> roleTiers;
    private final Map.Entry<String, GatewayConfig.RateLimit> defaultTier;
    private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimits(GatewayConfig config) {
        this.config = config;
        this.roleTiers = config.rateLimits().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, GatewayConfig.RateLimit> entry) -> entry
                        .getValue().perSecond()).reversed())
                .toList();
        GatewayConfig.RateLimit fallback = config.rateLimits().get("default");
        if (fallback == null) {
            throw new IllegalStateException("cs.gateway.rate-limits.default is required: it limits callers whose roles"
                    + " have no tier of their own");
        }
        this.defaultTier = Map.entry("default", fallback);
    }

    Decision take(TenantContext caller) {
        Map.Entry<String, GatewayConfig.RateLimit> tier = tier(caller);
        GatewayConfig.RateLimit limit = tier.getValue();
        Bucket bucket = buckets.computeIfAbsent(new Key(caller.tenant(), tier.getKey()),
                key -> Bucket.builder().addLimit(bandwidth -> bandwidth.capacity(limit.burst())
                        .refillGreedy(limit.perSecond(), Duration.ofSeconds(1))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long missing = limit.burst() - probe.getRemainingTokens();
        long resetSeconds = (long) Math.ceil((double) missing / limit.perSecond());
        long retryAfter = probe.isConsumed() ? 0
                : Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        return new Decision(probe.isConsumed(), limit.burst(), probe.getRemainingTokens(), resetSeconds, retryAfter);
    }

    private Map.Entry<String, GatewayConfig.RateLimit> tier(TenantContext caller) {
        for (Map.Entry<String, GatewayConfig.RateLimit> tier : roleTiers) {
            if (caller.roles().contains(tier.getKey())) {
                return tier;
            }
        }
        return defaultTier;
    }

    /** Forgets buckets that have refilled completely: an idle tenant costs no memory. */
    @Scheduled(every = "60s")
    void forgetIdle() {
        buckets.entrySet().removeIf(entry -> entry.getValue().getAvailableTokens() >= capacity(entry.getKey()));
    }

    private long capacity(Key key) {
        GatewayConfig.RateLimit limit = config.rateLimits().get(key.tier());
        return limit == null ? 0 : limit.burst();
    }
}
