package io.cloudsentinel.budget.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.budget.config.BudgetConfig;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Expires holds past their expiry and frees what they reserved. Any number of replicas may run it: each batch
 * claims holds with FOR UPDATE SKIP LOCKED and changes only those still HELD, so no hold is freed twice. One
 * statement per batch marks the holds, appends the EXPIRE entries and frees the windows.
 */
// created at start, not at its first run: cs.budget.holds.expired exists at 0 from then
@Startup
@ApplicationScoped
public class HoldReaper {

    private static final Logger LOG = Logger.getLogger(HoldReaper.class);
    private static final SystemTask TASK = new SystemTask("hold-reaper");

    /**
     * Marks a batch of due holds EXPIRED and appends their EXPIRE entries in one statement, returning what to free
     * per window in lock order (tenant, window, period). The claim is a MATERIALIZED CTE, run once: as an
     * {@code IN (SELECT … LIMIT $1 FOR UPDATE SKIP LOCKED)} it could become the inner side of a nested-loop semi-join,
     * rescanned per hold, each rescan skipping the holds this statement had just changed and claiming the next ones,
     * so one batch expired every due hold (ReaperCapTest caught it once the system-task policies changed the plan).
     */
    private static final String EXPIRE_BATCH = """
            WITH due AS MATERIALIZED (
                SELECT tenant_id, id FROM budget_holds
                 WHERE status = 'HELD' AND expires_at < now()
                 ORDER BY expires_at
                 LIMIT $1
                   FOR UPDATE SKIP LOCKED
            ), expired AS (
                UPDATE budget_holds h
                   SET status = 'EXPIRED', finished_at = now()
                  FROM due
                 WHERE h.tenant_id = due.tenant_id AND h.id = due.id AND h.status = 'HELD'
             RETURNING h.id, h.tenant_id, h.estimate_micros, h.month_start, h.day_start
            ), entries AS (
                INSERT INTO budget_ledger (tenant_id, hold_id, entry_type, month_start, day_start, reserved_delta,
                                           spent_delta)
                SELECT tenant_id, id, 'EXPIRE', month_start, day_start, -estimate_micros, 0 FROM expired
            )
            SELECT tenant_id, window_kind, period_start, sum(estimate_micros) AS amount, count(*) AS holds
              FROM (SELECT tenant_id, 'MONTH' AS window_kind, month_start AS period_start, estimate_micros
                      FROM expired
                    UNION ALL
                    SELECT tenant_id, 'DAY', day_start, estimate_micros FROM expired WHERE day_start IS NOT NULL) frees
             GROUP BY tenant_id, window_kind, period_start
             ORDER BY tenant_id, window_kind, period_start
            """;

    /**
     * Frees one window. Deliberately a plain single-row update per window, run in lock order, rather than an
     * UPDATE ... FROM over the CTE above: under concurrent authorizations that form lost some of its decrements
     * (LedgerFoldTest caught it), while a single-table update re-checks the newest row version reliably.
     */
    private static final String FREE_WINDOW = """
            UPDATE budget_windows
               SET reserved_micros = reserved_micros - $1
             WHERE tenant_id = $2 AND window_kind = $3 AND period_start = $4
            """;

    private final TenantTransactions transactions;
    private final BudgetConfig config;
    private final Counter expiredCounter;

    public HoldReaper(TenantTransactions transactions, BudgetConfig config, MeterRegistry registry) {
        this.transactions = transactions;
        this.config = config;
        this.expiredCounter = Counter.builder("cs.budget.holds.expired")
                .description("Holds freed by the reaper because they were neither settled nor released in time")
                .register(registry);
    }

    @Scheduled(every = "${cs.budget.reaper-interval}", delayed = "${cs.budget.reaper-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return expireDue().onFailure().invoke(failure -> LOG.warn("hold reaper batch failed; retrying next run",
                failure)).onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Expires due holds batch by batch until a batch comes back short, {@code reaper-max-batches-per-run} at most (the
     * next run goes on); returns how many were expired.
     */
    public Uni<Long> expireDue() {
        return expireDue(config.reaperMaxBatchesPerRun()).invoke(expired -> {
            if (expired > 0) {
                LOG.infof("system task %s expired %d holds", TASK.name(), expired);
            } else {
                LOG.debugf("system task %s found no hold past its expiry", TASK.name());
            }
        });
    }

    private Uni<Long> expireDue(int batches) {
        return expireBatch().chain(count -> count < config.reaperBatch() || batches <= 1
                ? Uni.createFrom().item(count)
                : expireDue(batches - 1).map(more -> count + more));
    }

    private Uni<Long> expireBatch() {
        return transactions.asSystem(TASK, connection -> connection.preparedQuery(EXPIRE_BATCH)
                .execute(Tuple.of(config.reaperBatch()))
                .chain(frees -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    long holds = 0;
                    for (Row free : frees) {
                        Tuple window = Tuple.of(free.getLong("amount"), free.getUUID("tenant_id"),
                                free.getString("window_kind"), free.getLocalDate("period_start"));
                        chain = chain.chain(() -> connection.preparedQuery(FREE_WINDOW).execute(window)
                                .replaceWithVoid());
                        if ("MONTH".equals(free.getString("window_kind"))) {
                            holds += free.getLong("holds");
                        }
                    }
                    return chain.replaceWith(holds);
                }))
                .invoke(count -> expiredCounter.increment(count));
    }
}
