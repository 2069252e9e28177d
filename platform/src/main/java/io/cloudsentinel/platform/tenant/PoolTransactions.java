package io.cloudsentinel.platform.tenant;

import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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
        return pool.withTransaction(connection -> connection.preparedQuery(ENTER_TENANT)
                .execute(Tuple.of(tenant.toString()))
                .chain(ignored -> work.apply(connection)))
                .onFailure(PgErrors::isTenantContextMissing)
                .transform(failure -> metrics.contextMissing("tenant work reached PostgreSQL without a tenant",
                        failure));
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
