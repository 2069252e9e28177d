package io.cloudsentinel.jobs.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code cs.jobs.notification.*} as the {@code notification} handler delivers (the webhook settings read
 * {@code allow-private} and {@code allowed-hosts} too, and {@code rotation-grace} of their own).
 */
@ConfigMapping(prefix = "cs.jobs.notification")
public interface NotificationConfig {

    /** Whether a webhook may be plain http or a loopback, private or link-local address (dev, tests). */
    @WithDefault("false")
    boolean allowPrivate();

    /** Host names or CIDR blocks an operator allows although private; metadata addresses never pass. */
    Optional<List<String>> allowedHosts();

    /** One delivery's deadline: connecting, sending and the whole answer. */
    @WithDefault("10s")
    Duration timeout();

    /** The largest answer read; a receiver's answer is not used, so anything larger counts as no answer. */
    @WithDefault("65536")
    int maxResponseBytes();

    /** The longest {@code Retry-After} honoured; a longer one waits this long. */
    @WithDefault("1h")
    Duration maxRetryAfter();

    /** How long a rotated-out signing secret keeps signing beside the new one. */
    @WithDefault("24h")
    Duration rotationGrace();
}
