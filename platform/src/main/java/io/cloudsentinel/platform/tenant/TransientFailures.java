package io.cloudsentinel.platform.tenant;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

/**
 * A deadlock (40P01) or serialization failure (40001) rolled the whole transaction back: run it again, a few times,
 * with jittered backoff, counting each retry. One policy for both kinds of tenant transaction.
 */
final class TransientFailures {

    private static final int RETRIES = 5;

    private TransientFailures() {
    }

    static <T> Uni<T> retried(Uni<T> transaction, TenantIsolationMetrics metrics) {
        return transaction
                .onFailure(PgErrors::isTransient).invoke(metrics::transientRetry)
                .onFailure(PgErrors::isTransient).retry()
                .withBackOff(Duration.ofMillis(5), Duration.ofMillis(200)).withJitter(0.5).atMost(RETRIES);
    }
}
