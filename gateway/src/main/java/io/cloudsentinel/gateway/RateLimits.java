package io.cloudsentinel.gateway;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * One token bucket per tenant (Bucket4j), whoever of the tenant calls: its users share the tenant's limit
 * ({@code cs.gateway.rate-limits.default}). Operators' requests ({@code platform-admin}, granted by the operators'
 * issuer only) count in a bucket of their own with {@code cs.gateway.rate-limits.platform-admin} when set. The
 * buckets live in memory or in Redis shared by every replica ({@code cs.gateway.rate-limit-store.kind}); when Redis
 * cannot answer in time the request passes without RateLimit headers and is counted
 * ({@code cs_gateway_rate_limit_store_failures_total}): a limiter outage does not become an API outage.
 */
@ApplicationScoped
public class RateLimits {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);

    /** What the limiter decided; {@code known} false when the store did not answer (then no RateLimit headers). */
    record Decision(boolean allowed, boolean known, long limit, long remaining, long resetSeconds,
            long retryAfterSeconds) {

        static Decision unknown() {
            return new Decision(true, false, 0, 0, 0, 0);
        }
    }

    /** A limit and the Bucket4j configuration of its buckets: {@code burst} tokens, {@code perSecond} refilled. */
    record Tier(GatewayConfig.RateLimit limit, BucketConfiguration bucket) {

        static Tier of(long perSecond, long burst) {
            return of(new GatewayConfig.RateLimit() {
                @Override
                public long perSecond() {
                    return perSecond;
                }

                @Override
                public long burst() {
                    return burst;
                }
            });
        }

        static Tier of(GatewayConfig.RateLimit limit) {
            return new Tier(limit, BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(limit.burst())
                    .refillGreedy(limit.perSecond(), Duration.ofSeconds(1)).build()).build());
        }

        Decision decide(ConsumptionProbe probe) {
            return decision(probe, limit);
        }
    }

    private final Tier tenants;
    private final Tier operators;
    private final TenantBuckets buckets;
    private final Counter storeFailures;

    public RateLimits(GatewayConfig config, MeterRegistry registry) {
        GatewayConfig.RateLimit fallback = config.rateLimits().get("default");
        if (fallback == null) {
            throw new IllegalStateException("cs.gateway.rate-limits.default is required: it is every tenant's limit");
        }
        this.tenants = Tier.of(fallback);
        GatewayConfig.RateLimit operator = config.rateLimits().get(Roles.PLATFORM_ADMIN);
        this.operators = operator == null ? tenants : Tier.of(operator);
        GatewayConfig.RateLimitStore store = config.rateLimitStore();
        this.buckets = switch (store.kind()) {
            case MEMORY -> new MemoryBuckets();
            case REDIS -> new RedisBuckets(store.redisUrl().filter(url -> !url.isBlank()).orElseThrow(
                    () -> new IllegalStateException("cs.gateway.rate-limit-store.kind=redis needs"
                            + " cs.gateway.rate-limit-store.redis-url (CS_GATEWAY_RATE_LIMIT_STORE_REDIS_URL)")),
                    store.timeout());
        };
        this.storeFailures = registry.counter("cs.gateway.rate.limit.store.failures");
    }

    CompletionStage<Decision> take(TenantContext caller) {
        boolean operator = caller.hasRole(Roles.PLATFORM_ADMIN);
        Tier tier = operator ? operators : tenants;
        String key = (operator ? "operator:" : "tenant:") + caller.tenant();
        return buckets.tryTake(key, tier.bucket()).handle((probe, failure) -> {
            if (failure != null) {
                storeFailures.increment();
                LOG.debugf("rate-limit store did not answer: %s", failure.toString());
                return Decision.unknown();
            }
            return tier.decide(probe);
        });
    }

    static Decision decision(ConsumptionProbe probe, GatewayConfig.RateLimit limit) {
        long missing = limit.burst() - probe.getRemainingTokens();
        long resetSeconds = (long) Math.ceil((double) missing / limit.perSecond());
        long retryAfter = probe.isConsumed() ? 0
                : Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        return new Decision(probe.isConsumed(), true, limit.burst(), probe.getRemainingTokens(), resetSeconds,
                retryAfter);
    }

    /** Forgets in-memory buckets that have refilled completely (Redis expires its own). */
    @Scheduled(every = "60s")
    void forgetIdle() {
        buckets.forgetIdle();
    }

    @PreDestroy
    void close() {
        buckets.close();
    }
}
