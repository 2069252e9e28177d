package io.cloudsentinel.gateway;

import java.util.concurrent.CompletionStage;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Where token buckets live: this replica's memory, or Redis shared by every replica. */
interface TenantBuckets extends AutoCloseable {

    /** Takes one token from the bucket of {@code key}, made with {@code configuration} when it does not exist. */
    CompletionStage<ConsumptionProbe> tryTake(String key, BucketConfiguration configuration);

    /** Forgets buckets that are full again, where the store does not expire them itself. */
    default void forgetIdle() {
    }

    @Override
    default void close() {
    }
}
