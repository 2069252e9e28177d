package io.cloudsentinel.gateway;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * Buckets in Redis, shared by every gateway replica: Bucket4j's compare-and-swap proxy over Lettuce. Lettuce rather
 * than Jedis or Redisson: it is asynchronous on Netty like the gateway, so a bucket check never blocks the event loop
 * nor needs a thread pool, and it is the smallest of the three clients Bucket4j supports (the Quarkus Redis client is
 * not one of them). Each bucket expires once it would have refilled, so idle tenants cost Redis nothing. While Redis
 * is unreachable commands fail at once rather than queue, and the caller lets the request pass.
 */
final class RedisBuckets implements TenantBuckets {

    private static final String PREFIX = "cs:rate:";

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final AsyncProxyManager<String> buckets;

    RedisBuckets(String url, Duration timeout) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException("cs.gateway.rate-limit-store: Redis at " + uri.getHost() + ":"
                    + uri.getPort() + " does not answer (" + e.getMessage() + ")", e);
        }
        buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .requestTimeout(timeout)
                .build().asAsync();
    }

    @Override
    public CompletionStage<ConsumptionProbe> tryTake(String key, BucketConfiguration configuration) {
        return buckets.builder().build(PREFIX + key, configuration).tryConsumeAndReturnRemaining(1);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
