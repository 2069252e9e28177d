package io.cloudsentinel.platform.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code cs.outbox.*}: how the relay polls and publishes. */
@ConfigMapping(prefix = "cs.outbox")
public interface OutboxConfig {

    /** Whether this replica relays (every replica may; rows are claimed with SKIP LOCKED). */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("500ms")
    Duration pollInterval();

    /** Rows claimed per transaction. */
    @WithDefault("200")
    int batchSize();

    /**
     * Attempts after which a row the broker keeps refusing with a retriable error is parked (one it refuses for good
     * is parked at once): set aside with its error, its key's later rows held back, the rest flowing.
     */
    @WithDefault("20")
    int parkAfterAttempts();

    /** Batches one scheduled run relays at most; the next poll goes on. */
    @WithDefault("100")
    int maxBatchesPerRun();

    /** Longest pause between attempts while the broker is unreachable. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** How long one batch may wait for the broker's acknowledgements. */
    @WithDefault("15s")
    Duration sendTimeout();

    @WithName("bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
    String bootstrapServers();
}
