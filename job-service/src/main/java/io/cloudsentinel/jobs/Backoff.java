package io.cloudsentinel.jobs;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** The pause before retry {@code n}: min(cap, base × 2^(n-1)), then ±20% jitter so that retries do not march. */
public record Backoff(Duration base, Duration cap) {

    public static final double JITTER = 0.2;

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got " + base + " and " + cap);
        }
    }

    /** Without jitter: the middle of the range retry {@code failedAttempt} waits in. */
    public Duration nominal(int failedAttempt) {
        int doublings = Math.max(0, Math.min(failedAttempt - 1, 62));
        double millis = base.toMillis() * Math.pow(2, doublings);
        return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
    }

    public Duration after(int failedAttempt, RandomGenerator random) {
        double factor = 1 + JITTER * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(nominal(failedAttempt).toMillis() * factor));
    }
}
