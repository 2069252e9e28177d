package io.cloudsentinel.gateway;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.quarkus.scheduler.Scheduled;

/**
 * A token bucket per client address ({@link ClientAddress}), in this replica's memory, taken before the bearer token
 * is verified: a flood of forged or expired tokens from one address is refused for the price of a map lookup, not an
 * RS256 verification each. Per replica on purpose: it guards this replica's CPU, and needs no round trip.
 */
@ApplicationScoped
public class AddressLimits {

    private final boolean enabled;
    private final GatewayConfig.RateLimit limit;
    private final BucketConfiguration bucket;
    private final MemoryBuckets buckets = new MemoryBuckets();

    public AddressLimits(GatewayConfig config) {
        GatewayConfig.AddressLimit settings = config.addressLimit();
        this.enabled = settings.enabled();
        this.limit = new GatewayConfig.RateLimit() {
            @Override
            public long perSecond() {
                return settings.perSecond();
            }

            @Override
            public long burst() {
                return settings.burst();
            }
        };
        this.bucket = BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(settings.burst())
                .refillGreedy(settings.perSecond(), Duration.ofSeconds(1)).build()).build();
    }

    /** The decision for one more request from this address (always allowed when the limit is off). */
    RateLimits.Decision take(String address) {
        if (!enabled) {
            return RateLimits.Decision.unknown();
        }
        return RateLimits.decision(buckets.take(address, bucket), limit);
    }

    @Scheduled(every = "60s")
    void forgetIdle() {
        buckets.forgetIdle();
    }
}
