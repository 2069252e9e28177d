package io.cloudsentinel.platform.tenant;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * The one way to touch tenant tables. Each call opens its own session and transaction and first sets
 * {@code app.tenant_id} with {@code set_config(..., true)} on that same connection, so the setting lives exactly as
 * long as the transaction: nothing stays on a pooled connection, and nested calls never share or switch a tenant.
 * The work gets the session to use; a session obtained any other way has no tenant and PostgreSQL refuses it.
 */
@ApplicationScoped
public class TenantTransactions {

    private static final Logger LOG = Logger.getLogger(TenantTransactions.class);

    // Also resets what a session-level SET by stray code could have left on the connection.
    private static final String ENTER_TENANT = "SELECT set_config('app.tenant_id', :tenant, true),"
            + " set_config('app.system_task', '', true), set_config('role', 'none', true)";
    private static final String ENTER_SYSTEM_TASK = "SELECT set_config('app.tenant_id', '', true),"
            + " set_config('role', 'cs_system', true), set_config('app.system_task', :task, true)";

    private final Mutiny.SessionFactory sessions;
    private final CurrentTenantContext requestContext;
    private final TenantIsolationMetrics metrics;

    public TenantTransactions(Mutiny.SessionFactory sessions, CurrentTenantContext requestContext,
            TenantIsolationMetrics metrics) {
        this.sessions = sessions;
        this.requestContext = requestContext;
        this.metrics = metrics;
    }

    /** Runs the work in a new transaction for the tenant; commits when the returned Uni succeeds. */
    public <T> Uni<T> inTenant(TenantId tenant, Function<Mutiny.Session, Uni<T>> work) {
        if (tenant == null) {
            return Uni.createFrom().failure(metrics.contextMissing("tenant work started without a tenant", null));
        }
        return inTransaction(session -> session.createNativeQuery(ENTER_TENANT)
                .setParameter("tenant", tenant.toString())
                .getSingleResult()
                .chain(ignored -> work.apply(session)));
    }

    /** Runs the work for the tenant of the current request's verified context. */
    public <T> Uni<T> inRequestTenant(Function<Mutiny.Session, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            var context = requestContext.find();
            if (context.isEmpty()) {
                return Uni.createFrom().failure(metrics.contextMissing("this request has no verified tenant context",
                        null));
            }
            return inTenant(context.get().tenant(), work);
        });
    }

    /**
     * Runs work that spans tenants as role cs_system under a named task: the explicit, audited path for reapers and
     * sweeps. Every call is counted in {@code cs_system_work_total{task}}.
     */
    public <T> Uni<T> asSystem(SystemTask task, Function<Mutiny.Session, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            metrics.systemWork(task);
            LOG.debugf("system task %s starts a cross-tenant transaction", task.name());
            return inTransaction(session -> session.createNativeQuery(ENTER_SYSTEM_TASK)
                    .setParameter("task", task.name())
                    .getSingleResult()
                    .chain(ignored -> work.apply(session)));
        });
    }

    private <T> Uni<T> inTransaction(Function<Mutiny.Session, Uni<T>> work) {
        return TransactionRuns.toTheEnd(sessions.openSession()
                .chain(session -> session.withTransaction(tx -> work.apply(session))
                        .eventually(session::close)),
                metrics);
    }
}
