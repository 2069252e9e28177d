package io.cloudsentinel.platform.tenant;

/**
 * What the work of a {@link TenantTransactions#inTenantPipelined pipelined transaction} decided: a value to return, and
 * whether its changes are committed or rolled back. Rolling back is an answer here, not a failure: a denied
 * reservation is undone and the caller still needs to know why.
 */
public record TransactionOutcome<T>(T value, boolean commit) {

    public static <T> TransactionOutcome<T> commit(T value) {
        return new TransactionOutcome<>(value, true);
    }

    public static <T> TransactionOutcome<T> rollBack(T value) {
        return new TransactionOutcome<>(value, false);
    }
}
