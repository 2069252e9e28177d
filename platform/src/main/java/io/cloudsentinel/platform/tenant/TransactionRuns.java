package io.cloudsentinel.platform.tenant;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

/** How every tenant transaction is run, one policy for the Hibernate Reactive and the pooled-connection kinds. */
final class TransactionRuns {

    private static final int TRANSIENT_RETRIES = 5;

    private TransactionRuns() {
    }

    /**
     * Runs a transaction to the end its work decides, again after a transient failure, and counts a missing tenant
     * context.
     * <ul>
     * <li>Detached from its subscriber: a client that hangs up mid-request cancels it, and a cancelled transaction
     * would be cut off between two statements — the pooled connection handed back inside an open transaction (a raw
     * BEGIN Vert.x does not know about), or the work going on against a session already closed.</li>
     * <li>A deadlock (40P01) or serialization failure (40001) rolled the whole transaction back: it runs again, a few
     * times, with jittered backoff, each retry counted.</li>
     * </ul>
     */
    static <T> Uni<T> toTheEnd(Uni<T> transaction, TenantIsolationMetrics metrics) {
        Uni<T> detached = Uni.createFrom()
                .emitter(emitter -> transaction.subscribe().with(emitter::complete, emitter::fail));
        return reportingMissingContext(detached
                .onFailure(PgErrors::isTransient).invoke(metrics::transientRetry)
                .onFailure(PgErrors::isTransient).retry()
                .withBackOff(Duration.ofMillis(5), Duration.ofMillis(200)).withJitter(0.5).atMost(TRANSIENT_RETRIES),
                metrics);
    }

    /** PostgreSQL refused a statement that ran without a tenant: counted and reported as such. */
    static <T> Uni<T> reportingMissingContext(Uni<T> transaction, TenantIsolationMetrics metrics) {
        return transaction.onFailure(PgErrors::isTenantContextMissing)
                .transform(failure -> metrics.contextMissing("tenant work reached PostgreSQL without a tenant",
                        failure));
    }
}
