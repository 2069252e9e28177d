package io.cloudsentinel.gateway;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Buckets in this replica's memory: exact for one replica; N replicas behind a balancer give N times the limit. */
final class MemoryBuckets implements TenantBuckets {

    private record Held(Bucket bucket, long capacity) {
    }

    private final Map<String, Held> buckets = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<ConsumptionProbe> tryTake(String key, BucketConfiguration configuration) {
        return CompletableFuture.completedFuture(take(key, configuration));
    }

    ConsumptionProbe take(String key, BucketConfiguration configuration) {
        return buckets.computeIfAbsent(key, ignored -> new Held(Bucket.builder().addLimit(configuration
                .getBandwidths()[0]).build(), capacity(configuration))).bucket().tryConsumeAndReturnRemaining(1);
    }

    /** An idle tenant or address costs no memory: a bucket that refilled completely is dropped. */
    @Override
    public void forgetIdle() {
        buckets.values().removeIf(held -> held.bucket().getAvailableTokens() >= held.capacity());
    }

    int size() {
        return buckets.size();
    }

    private static long capacity(BucketConfiguration configuration) {
        long capacity = 0;
        for (Bandwidth bandwidth : configuration.getBandwidths()) {
            capacity = Math.max(capacity, bandwidth.getCapacity());
        }
        return capacity;
    }
}
