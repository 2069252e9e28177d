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
