package io.cloudsentinel.jobs.costs;

import java.util.Optional;
import java.util.UUID;

/**
 * How an import ended, as {@code cost_imports} records it.
 *
 * @param failure why it failed: the earlier data of its periods is in place
 * @param retryable the failure was the reading of a file (network, an answer cut short), not its content: reading it
 *        again may succeed
 */
public record ImportOutcome(UUID importId, ImportStatus status, long rowsLoaded, long rowsRejected,
        Optional<String> failure, boolean retryable) {

    public enum ImportStatus {
        SUCCEEDED,
        FAILED;

        /** The column's value. */
        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
