package io.cloudsentinel.platform.tenant;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.cloudsentinel.platform.tracing.SpanTrace;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one way to the database. Each call is one transaction whose first statement sets the tenant (or the named
 * system task) with {@code set_config(..., true)} on that same connection, so the setting lives exactly as long as the
 * transaction: nothing stays on a pooled connection, and nested calls never share or switch a tenant.
 * <ul>
 * <li>{@link #inTenant} and {@link #asSystem}: SQL on the reactive pool, for set-based and hot statements.</li>
 * <li>{@link #inTenantPipelined}: a hot path of one statement, in two round trips.</li>
 * <li>{@link #inTenantSession}: Panache entities and repositories, which see the tenant.</li>
 * </ul>
 * All of them run under one policy ({@link TransactionRuns}): detached from the caller, deadlocks and serialization
 * failures run again, a missing tenant context is counted and raised as {@link TenantContextMissingException}.
 */
@ApplicationScoped
public class TenantTransactions {

    private static final Logger LOG = Logger.getLogger(TenantTransactions.class);

    // Also resets what a session-level SET by stray code could have left on the connection.
    private static final String ENTER_TENANT = "SELECT set_config('app.tenant_id', $1, true),"
            + " set_config('app.system_task', '', true), set_config('role', 'none', true)";
    private static final String ENTER_SYSTEM_TASK = "SELECT set_config('app.tenant_id', '', true),"
            + " set_config('role', 'cs_system', true), set_config('app.system_task', $1, true)";
    /** The same statements for Hibernate, whose native queries name their parameters: the one native SQL it runs. */
    private static final String ENTER_TENANT_ON_SESSION = ENTER_TENANT.replace("$1", ":value");
    private static final String ENTER_SYSTEM_TASK_ON_SESSION = ENTER_SYSTEM_TASK.replace("$1", ":value");

    /**
     * The tenant setting, and the statements of this transaction run on their cached generic plan (prepared and
     * planned once per pooled connection). Safe only where the tenant is set in the same pipeline as the statements,
     * so no statement of such a transaction can run without it (see {@link #inTenantPipelined}); everywhere else
     * cs_app keeps planning afresh (force_custom_plan, see README).
     */
    private static final String ENTER_TENANT_PLANNED = ENTER_TENANT
            + ", set_config('plan_cache_mode', 'force_generic_plan', true)";

    /**
     * Appended to an entering statement inside a span: the transaction's trace, which cs_outbox's trace columns take
     * by default, so the events it writes are published in its trace. Outside a span the statements are unchanged.
     */
    private static final String WITH_TRACE = ", set_config('app.trace_parent', $2, true),"
            + " set_config('app.trace_state', $3, true)";
    private static final String ENTER_TENANT_TRACED = ENTER_TENANT + WITH_TRACE;
    private static final String ENTER_TENANT_PLANNED_TRACED = ENTER_TENANT_PLANNED + WITH_TRACE;
    private static final String ENTER_SYSTEM_TASK_TRACED = ENTER_SYSTEM_TASK + WITH_TRACE;

    private final Pool pool;
    private final Vertx vertx;
    private final TenantIsolationMetrics metrics;
    private final TransactionRuns.Retries retries;

    @Inject
    public TenantTransactions(Pool pool, Vertx vertx, TenantIsolationMetrics metrics) {
        this(pool, vertx, metrics, TransactionRuns.Retries.DEFAULT);
    }

    private TenantTransactions(Pool pool, Vertx vertx, TenantIsolationMetrics metrics,
            TransactionRuns.Retries retries) {
        this.pool = pool;
        this.vertx = vertx;
        this.metrics = metrics;
        this.retries = retries;
    }

    /** The same entry point on another pool: several simulated replicas in one JVM (tests, benchmarks). */
    public TenantTransactions onPool(Pool otherPool) {
        return new TenantTransactions(otherPool, vertx, metrics, retries);
    }

    /**
     * The same entry point with other retries after a deadlock or serialization failure (by default 5, backing off
     * 5-200 ms): work that expects to lose races often, such as concurrent sweeps, waits longer; 0 never retries.
     */
    public TenantTransactions retrying(int attempts, Duration minBackoff, Duration maxBackoff) {
        return new TenantTransactions(pool, vertx, metrics,
                new TransactionRuns.Retries(attempts, minBackoff, maxBackoff));
    }

    /** Runs SQL in a new transaction for the tenant on a pooled connection; commits when the Uni succeeds. */
    public <T> Uni<T> inTenant(TenantId tenant, Function<SqlConnection, Uni<T>> work) {
        if (tenant == null) {
            return Uni.createFrom().failure(metrics.contextMissing("tenant work started without a tenant", null));
        }
        SpanTrace trace = SpanTrace.current();
        return TransactionRuns.toTheEnd(pool.withTransaction(connection -> connection
                .preparedQuery(trace == null ? ENTER_TENANT : ENTER_TENANT_TRACED)
                .execute(entering(tenant.toString(), trace))
                .chain(ignored -> work.apply(connection))), retries, metrics);
    }

    /**
     * A tenant transaction for a hot path, in two round trips instead of four or more: {@code BEGIN}, the tenant
     * setting and the first statement are sent together (pipelined on one connection), the work sees the first
     * statement's rows and may run more statements, then {@code COMMIT} or {@code ROLLBACK} as the work decided.
     * Statements repeated on a pooled connection may use a cached generic plan: the tenant is set by the statement
     * before them in the same pipeline, and if setting it fails the transaction is aborted, so the first statement
     * fails too and can never run without a tenant. A failed work, or a failed first statement, rolls back. A
     * deadlock or serialization failure runs the whole transaction again (the work must not depend on having run
     * once).
     */
    public <T> Uni<T> inTenantPipelined(TenantId tenant, String firstStatement, Tuple arguments,
            BiFunction<SqlConnection, RowSet<Row>, Uni<TransactionOutcome<T>>> work) {
        if (tenant == null) {
            return Uni.createFrom().failure(metrics.contextMissing("tenant work started without a tenant", null));
        }
        SpanTrace trace = SpanTrace.current();
        Uni<T> transaction = pool.getConnection().chain(connection -> {
            // Mutiny is lazy: combining subscribes to all three at once, so Vert.x writes them without waiting.
            Uni<RowSet<Row>> begin = connection.query("BEGIN").execute();
            Uni<RowSet<Row>> enter = connection
                    .preparedQuery(trace == null ? ENTER_TENANT_PLANNED : ENTER_TENANT_PLANNED_TRACED)
                    .execute(entering(tenant.toString(), trace));
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
        return TransactionRuns.toTheEnd(transaction, retries, metrics);
    }

    /**
     * Cross-tenant SQL as role cs_system under a named task: the explicit, audited path for reapers, sweeps and
     * relays. PostgreSQL lets the task read or write only the tables granted to it (42501 otherwise). Every call is
     * counted in {@code cs_system_work_total{task}}; one an operator asked for ({@link SystemTask#forOperator}) is
     * logged at INFO with the operator, background work at DEBUG (each task logs at INFO what it changed).
     */
    public <T> Uni<T> asSystem(SystemTask task, Function<SqlConnection, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            started(task);
            SpanTrace trace = SpanTrace.current();
            return TransactionRuns.toTheEnd(pool.withTransaction(connection -> connection
                    .preparedQuery(trace == null ? ENTER_SYSTEM_TASK : ENTER_SYSTEM_TASK_TRACED)
                    .execute(entering(task.name(), trace))
                    .chain(ignored -> work.apply(connection))), retries, metrics);
        });
    }

    /**
     * Runs entity work in a new Hibernate Reactive transaction for the tenant. The session is the one Panache uses
     * (bound to a Vert.x context of its own), so {@code repository.findById(id)} inside the work sees the tenant's
     * rows; the work also receives it. A session that Panache opens anywhere else — a bare {@code @WithTransaction} —
     * has no tenant, and PostgreSQL refuses it.
     */
    public <T> Uni<T> inTenantSession(TenantId tenant, Function<Mutiny.Session, Uni<T>> work) {
        if (tenant == null) {
            return Uni.createFrom().failure(metrics.contextMissing("tenant work started without a tenant", null));
        }
        return onSession(ENTER_TENANT_ON_SESSION, tenant.toString(), work);
    }

    /**
     * Entity work as role cs_system under a named task, counted, logged and granted like {@link #asSystem}: global rows
     * (key versions) and operator reads across tenants.
     */
    public <T> Uni<T> asSystemSession(SystemTask task, Function<Mutiny.Session, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            started(task);
            return onSession(ENTER_SYSTEM_TASK_ON_SESSION, task.name(), work);
        });
    }

    private static Tuple entering(String value, SpanTrace trace) {
        return trace == null ? Tuple.of(value) : Tuple.of(value, trace.traceparent(), trace.tracestate());
    }

    /** Once per call, not per retried attempt. */
    private void started(SystemTask task) {
        metrics.systemWork(task.name());
        if (task.operator().isPresent()) {
            LOG.infof("system task %s for operator %s", task.name(), task.operator().get());
        } else {
            LOG.debugf("system task %s starts a cross-tenant transaction", task.name());
        }
    }

    /**
     * The outcome comes back on the caller's context, taken once before any attempt: a retried attempt is
     * re-subscribed from Mutiny's worker pool, where there is no context to go back to, and the caller's later stages
     * may read its request state (the verified tenant context) or its own Panache session.
     */
    private <T> Uni<T> onSession(String enter, String value, Function<Mutiny.Session, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            Context root = caller != null ? caller : vertx.getOrCreateContext();
            io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
            Uni<T> transaction = TransactionRuns.toTheEnd(onOwnContext(root, trace, () -> Panache.withTransaction(
                    () -> Panache.getSession().chain(session -> session.createNativeQuery(enter)
                            .setParameter("value", value)
                            .getSingleResult()
                            .chain(ignored -> work.apply(session))))),
                    retries, metrics);
            return caller == null ? transaction
                    : transaction.emitOn(step -> caller.runOnContext(ignored -> step.run()));
        });
    }

    /**
     * Subscribes on a new duplicated Vert.x context of the root's event loop, where Panache finds no session yet and
     * opens (then closes) one for this transaction alone — never the caller's. The caller's trace goes along (a new
     * duplicated context starts without it), so the session's SQL spans are the caller's children.
     */
    private static <T> Uni<T> onOwnContext(Context root, io.opentelemetry.context.Context trace,
            java.util.function.Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context own = VertxContext.createNewDuplicatedContext(root);
            VertxContextSafetyToggle.setContextSafe(own, true);
            own.runOnContext(ignored -> {
                if (trace != io.opentelemetry.context.Context.root()) {
                    // never closed on purpose: the context is this transaction's alone and ends with it
                    trace.makeCurrent();
                }
                try {
                    work.get().subscribe().with(emitter::complete, emitter::fail);
                } catch (RuntimeException e) {
                    // thrown before a Uni existed (no Vert.x context, Hibernate inactive): fail, never hang
                    emitter.fail(e);
                }
            });
        });
    }
}
