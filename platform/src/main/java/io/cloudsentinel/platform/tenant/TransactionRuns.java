package io.cloudsentinel.platform.tenant;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

/** How every tenant transaction is run, one policy for the Hibernate Reactive and the pooled-connection kinds. */
final class TransactionRuns {

    /** How often, and with what pauses, a transaction that lost a deadlock or serialization race runs again. */
    record Retries(int attempts, Duration minBackoff, Duration maxBackoff) {

        static final Retries DEFAULT = new Retries(5, Duration.ofMillis(5), Duration.ofMillis(200));

        Retries {
            if (attempts < 0 || minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("retries must not be negative and backoff must grow");
            }
        }
    }

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
    static <T> Uni<T> toTheEnd(Uni<T> transaction, Retries retries, TenantIsolationMetrics metrics) {
        Uni<T> detached = Uni.createFrom()
                .emitter(emitter -> transaction.subscribe().with(emitter::complete, emitter::fail));
        Uni<T> retried = retries.attempts() == 0 ? detached
                : detached.onFailure(PgErrors::isTransient)
                        .invoke(failure -> metrics.transientRetry(PgErrors.sqlState(failure).orElse("unknown")))
                        .onFailure(PgErrors::isTransient).retry()
                        .withBackOff(retries.minBackoff(), retries.maxBackoff()).withJitter(0.5)
                        .atMost(retries.attempts());
        return reportingMissingContext(retried, metrics);
    }

    /** PostgreSQL refused a statement that ran without a tenant: counted and reported as such. */
    private static <T> Uni<T> reportingMissingContext(Uni<T> transaction, TenantIsolationMetrics metrics) {
        return transaction.onFailure(PgErrors::isTenantContextMissing)
                .transform(failure -> metrics.contextMissing("tenant work reached PostgreSQL without a tenant",
                        failure));
    }
}
