package io.cloudsentinel.platform.tenant;

import java.util.function.BiFunction;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@link TenantTransactions} for code that speaks SQL to a Vert.x pool directly instead of through Hibernate
 * Reactive: set-based statements (a sweep that claims, inserts and updates a thousand rows in one statement) and
 * tests or benchmarks that need several independent pools in one JVM. The same rules: each call is one transaction
 * whose first statement sets the tenant, or the named system task, with {@code set_config(..., true)} on that same
 * connection. Unlike TenantTransactions it does not retry: callers that expect deadlocks or serialization failures
 * decide how to back off and what to count.
 */
public class PoolTransactions {

    private static final Logger LOG = Logger.getLogger(PoolTransactions.class);

    private static final String ENTER_TENANT = "SELECT set_config('app.tenant_id', $1, true),"
            + " set_config('app.system_task', '', true), set_config('role', 'none', true)";
    private static final String ENTER_SYSTEM_TASK = "SELECT set_config('app.tenant_id', '', true),"
            + " set_config('role', 'cs_system', true), set_config('app.system_task', $1, true)";

    /**
     * The same, and the statements of this transaction run on their cached generic plan (prepared and planned once
     * per pooled connection, not planned again per call). Safe here because the tenant is set in the same pipeline
     * as the statements, so no statement of such a transaction can run without it (see {@link #inTenantPipelined});
     * everywhere else cs_app keeps planning afresh (force_custom_plan, see README).
     */
    private static final String ENTER_TENANT_PLANNED = ENTER_TENANT
            + ", set_config('plan_cache_mode', 'force_generic_plan', true)";

    private final Pool pool;
    private final TenantIsolationMetrics metrics;

    public PoolTransactions(Pool pool, TenantIsolationMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    /** Runs the work in a new transaction for the tenant; commits when the returned Uni succeeds. */
    public <T> Uni<T> inTenant(TenantId tenant, Function<SqlConnection, Uni<T>> work) {
        if (tenant == null) {
            return Uni.createFrom().failure(metrics.contextMissing("tenant work started without a tenant", null));
        }
        return TransactionRuns.reportingMissingContext(pool.withTransaction(connection -> connection
                .preparedQuery(ENTER_TENANT)
                .execute(Tuple.of(tenant.toString()))
                .chain(ignored -> work.apply(connection))), metrics);
    }

    /**
     * A tenant transaction for a hot path, in two round trips instead of four or more: {@code BEGIN}, the tenant
     * setting and the first statement are sent together (pipelined on one connection), the work sees the first
     * statement's rows and may run more statements, then {@code COMMIT} or {@code ROLLBACK} as the work decided.
     * Statements repeated on a pooled connection may use a cached generic plan: the tenant is set by the statement
     * before them in the same pipeline, and if setting it fails the transaction is aborted, so the first statement
     * fails too and can never run without a tenant. A failed work, or a failed first statement, rolls back.
     * Like {@link TenantTransactions}, and unlike {@link #inTenant}, a deadlock or serialization failure runs the
     * whole transaction again (the work must not depend on having run once).
     */
    public <T> Uni<T> inTenantPipelined(TenantId tenant, String firstStatement, Tuple arguments,
            BiFunction<SqlConnection, RowSet<Row>, Uni<TransactionOutcome<T>>> work) {
        if (tenant == null) {
            return Uni.createFrom().failure(metrics.contextMissing("tenant work started without a tenant", null));
        }
        Uni<T> transaction = pool.getConnection().chain(connection -> {
            // Mutiny is lazy: combining subscribes to all three at once, so Vert.x writes them without waiting.
            Uni<RowSet<Row>> begin = connection.query("BEGIN").execute();
            Uni<RowSet<Row>> enter = connection.preparedQuery(ENTER_TENANT_PLANNED).execute(Tuple.of(tenant.toString()));
            Uni<RowSet<Row>> first = connection.preparedQuery(firstStatement).execute(arguments);
            return Uni.combine().all().unis(begin, enter, first).with((ignored, entered, rows) -> rows)
                    .chain(rows -> work.apply(connection, rows))
                    .call(outcome -> connection.query(outcome.commit() ? "COMMIT" : "ROLLBACK").execute())
                    .map(TransactionOutcome::value)
                    .onFailure().call(failure -> connection.query("ROLLBACK").execute()
                            .onFailure().invoke(rollbackFailure -> LOG.warnf(
                                    "rollback after a failed pipelined transaction failed too: %s",
                                    rollbackFailure.toString()))
                            .onFailure().recoverWithNull())
                    .eventually(connection::close);
        });
        // Vert.x does not know about this BEGIN: cut off by a client that hung up, the transaction would go back to the
        // pool still open, holding its locks
        return TransactionRuns.toTheEnd(transaction, metrics);
    }

    /** Cross-tenant work as role cs_system under a named task, counted in {@code cs_system_work_total{task}}. */
    public <T> Uni<T> asSystem(SystemTask task, Function<SqlConnection, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            metrics.systemWork(task);
            LOG.debugf("system task %s starts a cross-tenant transaction", task.name());
            return pool.withTransaction(connection -> connection.preparedQuery(ENTER_SYSTEM_TASK)
                    .execute(Tuple.of(task.name()))
                    .chain(ignored -> work.apply(connection)));
        });
    }

    public Pool pool() {
        return pool;
    }
}
