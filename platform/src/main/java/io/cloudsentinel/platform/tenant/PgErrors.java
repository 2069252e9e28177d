package io.cloudsentinel.platform.tenant;

import java.sql.SQLException;
import java.util.Optional;

import org.hibernate.JDBCException;

import io.vertx.pgclient.PgException;

/**
 * Finds PostgreSQL's SQLSTATE under the wrappers of Hibernate Reactive (which turns a {@link PgException} into a
 * {@link JDBCException} over an {@link SQLException}) and Mutiny.
 */
public final class PgErrors {

    private PgErrors() {
    }

    public static Optional<String> sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = null;
            if (t instanceof PgException pg) {
                state = pg.getSqlState();
            } else if (t instanceof JDBCException jdbc) {
                state = jdbc.getSQLState();
            } else if (t instanceof SQLException sql) {
                state = sql.getSQLState();
            }
            if (state != null) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /** Deadlock (40P01) or serialization failure (40001): the transaction lost a race and may simply run again. */
    public static boolean isTransient(Throwable failure) {
        return sqlState(failure).filter(state -> state.equals("40P01") || state.equals("40001")).isPresent();
    }

    /**
     * A failure a later try may mend: no answer from PostgreSQL (the connection failed) or one of its classes for an
     * unavailable server (08 connection, 53 resources, 57 operator intervention) or a lost race (40). Anything else
     * (a value it refuses, a constraint, a missing tenant context) comes back on every try.
     */
    public static boolean mayPassOnRetry(Throwable failure) {
        return sqlState(failure).map(state -> state.startsWith("08") || state.startsWith("53")
                || state.startsWith("57") || state.startsWith("40")).orElse(true);
    }

    /** A unique or primary key already held a value (23505): usually a race two first inserts ran. */
    public static boolean isUniqueViolation(Throwable failure) {
        return sqlState(failure).filter("23505"::equals).isPresent();
    }

    public static boolean isTenantContextMissing(Throwable failure) {
        return sqlState(failure).filter(TenantContextMissingException.SQLSTATE::equals).isPresent();
    }
}
