package io.cloudsentinel.gateway;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/**
 * A token bucket per client address ({@link ClientAddress}), in this replica's memory, taken before the bearer token
 * is verified: a flood of forged or expired tokens from one address is refused for the price of a map lookup, not an
 * RS256 verification each. Per replica on purpose: it guards this replica's CPU, and needs no round trip.
 */
@ApplicationScoped
public class AddressLimits {

    private final boolean enabled;
    private final RateLimits.Tier tier;
    private final MemoryBuckets buckets = new MemoryBuckets();

    public AddressLimits(GatewayConfig config) {
        GatewayConfig.AddressLimit settings = config.addressLimit();
        this.enabled = settings.enabled();
        this.tier = RateLimits.Tier.of(settings.perSecond(), settings.burst());
    }

    /** The decision for one more request from this address (always allowed when the limit is off). */
    RateLimits.Decision take(String address) {
        if (!enabled) {
            return RateLimits.Decision.unknown();
        }
        return tier.decide(buckets.take(address, tier.bucket()));
    }

    @Scheduled(every = "60s")
    void forgetIdle() {
        buckets.forgetIdle();
    }
}
