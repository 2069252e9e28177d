package io.cloudsentinel.jobs.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.Backoff;
import io.cloudsentinel.jobs.client.BudgetCalls;
import io.cloudsentinel.jobs.client.BudgetRefusedException;
import io.cloudsentinel.jobs.config.AnalysisConfig;
import io.cloudsentinel.jobs.store.PendingSettlements;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Real spend that budget-service could not take is not dropped: a settlement that failed with budget-service
 * unavailable is kept ({@link #keep}, in the tenant's transaction, also after the attempt ended) and sent again every
 * {@code cs.jobs.analysis.settlement-retry-interval} by system task {@code settlement-retry} until budget-service
 * settles it (idempotent per hold, charged also after the hold expired or was released) or no longer knows the hold
 * (404: nothing to charge). Each failed retry waits twice as long, up to {@link #MAX_DELAY}. A row is leased by its
 * claim, so replicas share the rows; one sent twice is charged once anyway.
 */
@ApplicationScoped
public class PendingSettlementRetry {

    static final SystemTask TASK = new SystemTask("settlement-retry");
    static final Duration MAX_DELAY = Duration.ofMinutes(10);
    /** How long a claimed row is left to its replica: far above a settle's timeout (5 s). */
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final int BATCH = 64;
    private static final int IN_FLIGHT = 8;
    private static final int MAX_ERROR_LENGTH = 500;
    private static final Duration KEEP_RETRY_FIRST = Duration.ofMillis(100);
    private static final Duration KEEP_RETRY_MAX = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(PendingSettlementRetry.class);

    /** What one sweep did. */
    public record Sweep(int settled, int unknown, int rescheduled, long pending) {
    }

    private enum Outcome {
        SETTLED,
        UNKNOWN,
        RESCHEDULED
    }

    private final TenantTransactions transactions;
    private final PendingSettlements store;
    private final BudgetCalls budget;
    private final Clock clock;
    private final Duration interval;
    private final AtomicLong pending = new AtomicLong();

    public PendingSettlementRetry(TenantTransactions transactions, PendingSettlements store, BudgetCalls budget,
            Clock clock, AnalysisConfig config, MeterRegistry registry) {
        this.transactions = transactions;
        this.store = store;
        this.budget = budget;
        this.clock = clock;
        this.interval = config.settlementRetryInterval();
        Gauge.builder("cs_jobs_pending_settlements", pending, AtomicLong::get)
                .description("finops_analysis settlements budget-service has not taken yet, kept for retry")
                .register(registry);
    }

    /**
     * Keeps a settlement budget-service could not take, due at once. Never fails: if even this write fails, the
     * settlement is logged at ERROR with what to charge (hold and tokens) and the caller's failure stands.
     *
     * @return whether it is kept
     */
    public Uni<Boolean> keep(TenantId tenant, UUID jobId, UUID holdId, long inputTokens, long outputTokens,
            boolean estimated, Throwable failure) {
        String error = cut(failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        return transactions.inTenant(tenant, connection -> store.keep(connection, tenant, holdId, jobId, inputTokens,
                outputTokens, estimated, error, clock.instant()))
                .onFailure().retry().withBackOff(KEEP_RETRY_FIRST, KEEP_RETRY_MAX).atMost(5)
                .map(written -> {
                    LOG.warnf("finops_analysis job %s: budget-service did not take the settlement of hold %s (%d input"
                            + " and %d output tokens%s): kept, system task %s sends it again (%s)", jobId, holdId,
                            inputTokens, outputTokens, estimated ? ", estimated" : "", TASK.name(), error);
                    return true;
                })
                .onFailure().recoverWithItem(lost -> {
                    LOG.errorf("finops_analysis job %s: the settlement of hold %s (%d input and %d output tokens%s)"
                            + " could be neither sent nor kept, charge it by hand: %s", jobId, holdId, inputTokens,
                            outputTokens, estimated ? ", estimated" : "", lost.toString());
                    return false;
                });
    }

    @Scheduled(every = "${cs.jobs.analysis.settlement-retry-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep().onFailure().invoke(failure -> LOG.warnf("system task %s failed: %s", TASK.name(),
                failure.toString())).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass: claims up to a batch of due rows of any tenant and sends each again. */
    public Uni<Sweep> sweep() {
        Instant now = clock.instant();
        return transactions.asSystem(TASK, connection -> store.count(connection).chain(count -> store
                .claim(connection, now, now.plus(LEASE), BATCH).map(claimed -> new Claimed(count, claimed))))
                .chain(claimed -> {
                    if (claimed.rows().isEmpty()) {
                        pending.set(claimed.count());
                        return Uni.createFrom().item(new Sweep(0, 0, 0, claimed.count()));
                    }
                    return Multi.createFrom().iterable(claimed.rows())
                            .onItem().transformToUni(this::retry).merge(IN_FLIGHT)
                            .collect().asList().map(outcomes -> summed(claimed.count(), outcomes));
                });
    }

    private record Claimed(long count, List<PendingSettlements.Pending> rows) {
    }

    private Sweep summed(long count, List<Outcome> outcomes) {
        int settled = (int) outcomes.stream().filter(Outcome.SETTLED::equals).count();
        int unknown = (int) outcomes.stream().filter(Outcome.UNKNOWN::equals).count();
        int rescheduled = outcomes.size() - settled - unknown;
        long left = Math.max(0, count - settled - unknown);
        pending.set(left);
        LOG.infof("system task %s: %d settled, %d dropped (hold unknown), %d still failing; %d pending", TASK.name(),
                settled, unknown, rescheduled, left);
        return new Sweep(settled, unknown, rescheduled, left);
    }

    private Uni<Outcome> retry(PendingSettlements.Pending row) {
        return budget.settleAgain(row.tenant(), row.holdId(), row.inputTokens(), row.outputTokens())
                .chain(settled -> done(row).invoke(() -> LOG.infof("finops_analysis job %s: hold %s settled on retry"
                        + " %d at %d input and %d output tokens%s, %d micro-USD", row.jobId(), row.holdId(),
                        row.attempts() + 1, settled.inputTokens(), settled.outputTokens(),
                        row.estimated() ? " (estimated: the worst case)" : "", settled.costMicros()))
                        .replaceWith(Outcome.SETTLED))
                .onFailure(failure -> failure instanceof BudgetRefusedException refused && refused.status() == 404)
                .recoverWithUni(unknown -> done(row).invoke(() -> LOG.warnf("finops_analysis job %s: budget-service"
                        + " knows no hold %s, nothing to charge: its pending settlement is dropped", row.jobId(),
                        row.holdId())).replaceWith(Outcome.UNKNOWN))
                .onFailure().recoverWithUni(failure -> {
                    String error = cut(failure.getMessage() == null ? failure.getClass().getSimpleName()
                            : failure.getMessage());
                    Instant next = clock.instant().plus(retryDelay(interval, row.attempts() + 1));
                    if (failure instanceof BudgetRefusedException) {
                        // not budget-service being down: retrying may not help, but dropping it would lose spend
                        LOG.warnf("finops_analysis job %s: budget-service refused the pending settlement of hold %s,"
                                + " kept, next try at %s: %s", row.jobId(), row.holdId(), next, error);
                    }
                    return transactions.inTenant(row.tenant(), connection -> store.reschedule(connection,
                            row.tenant(), row.holdId(), next, error)).replaceWith(Outcome.RESCHEDULED);
                })
                // the row could not be written: its lease runs out and another pass sends it again
                .onFailure().invoke(failure -> LOG.warnf("system task %s: the pending settlement of hold %s stays"
                        + " claimed until its lease ends: %s", TASK.name(), row.holdId(), failure.toString()))
                .onFailure().recoverWithItem(Outcome.RESCHEDULED);
    }

    private Uni<Void> done(PendingSettlements.Pending row) {
        return transactions.inTenant(row.tenant(), connection -> store.settled(connection, row.tenant(),
                row.holdId()));
    }

    /** The wait after the {@code failedRetries}-th failed retry: the interval, doubling, at most ten minutes. */
    static Duration retryDelay(Duration interval, int failedRetries) {
        Duration cap = interval.compareTo(MAX_DELAY) > 0 ? interval : MAX_DELAY;
        return new Backoff(interval, cap).nominal(failedRetries);
    }

    private static String cut(String text) {
        String clean = text.replace('\0', ' ');
        return clean.length() <= MAX_ERROR_LENGTH ? clean : clean.substring(0, MAX_ERROR_LENGTH);
    }
}
