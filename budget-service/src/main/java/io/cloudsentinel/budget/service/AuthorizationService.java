package io.cloudsentinel.budget.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.HoldStatus;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.config.BudgetConfig;
import io.cloudsentinel.budget.store.HoldRelease;
import io.cloudsentinel.budget.store.Reservations;
import io.cloudsentinel.budget.store.Reservations.Authorized;
import io.cloudsentinel.budget.store.Reservations.Settled;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.platform.tenant.TransactionOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;

/**
 * Authorize, settle and release: each one short transaction for the tenant. Nothing stays open between an
 * authorization and its settlement; the hold row carries the state in between.
 */
// created at start: the authorization counters exist at 0 per outcome, for rate() and the dashboard
@Startup
@ApplicationScoped
public class AuthorizationService {

    /** What authorize answers: the hold, and whether it was there already under the idempotency key. */
    public record Authorization(Hold hold, boolean replayed) {
    }

    private final TenantTransactions transactions;
    private final AuthorizationRefusals refusals;
    private final HoldRelease holds;
    private final BudgetAlerts alerts;
    private final BudgetConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Timer authorizationTimer;

    public AuthorizationService(TenantTransactions transactions, AuthorizationRefusals refusals, HoldRelease holds,
            BudgetAlerts alerts, BudgetConfig config, Clock clock, MeterRegistry registry) {
        this.transactions = transactions;
        this.refusals = refusals;
        this.holds = holds;
        this.alerts = alerts;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.authorizationTimer = Timer.builder("cs.budget.authorization.duration")
                .description("Time to authorize an LLM call, including the database transaction")
                .publishPercentileHistogram()
                .register(registry);
        for (String outcome : List.of("granted", "replayed", "denied", "failed")) {
            registry.counter("cs.budget.authorizations", "outcome", outcome);
        }
    }

    /**
     * Reserves the worst-case cost in one statement ({@link Reservations#AUTHORIZE}); commits only when every window
     * took it. Anything else (over a limit, key already used, unknown model) is rolled back and then explained.
     */
    public Uni<Authorization> authorize(TenantId tenant, String model, long inputTokens, long maxOutputTokens,
            String idempotencyKey) {
        checkTokens("inputTokens", inputTokens, 1, config.maxInputTokens());
        checkTokens("maxOutputTokens", maxOutputTokens, 1, config.maxOutputTokens());
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> {
            Instant now = clock.instant();
            UUID holdId = UUID.randomUUID();
            Instant expiresAt = now.plus(config.holdTtl());
            return transactions.inTenantPipelined(tenant, Reservations.AUTHORIZE,
                    Reservations.authorizeArguments(holdId, idempotencyKey, model, inputTokens, maxOutputTokens, now,
                            expiresAt, config.defaultMonthlyLimitMicros()),
                    (connection, rows) -> {
                        Authorized result = Reservations.authorized(rows);
                        if (!result.granted()) {
                            return Uni.createFrom().item(TransactionOutcome.rollBack(result));
                        }
                        return alerts.afterChange(connection, tenant, result.budget(), result.reserved())
                                .replaceWith(TransactionOutcome.commit(result));
                    })
                    .chain(result -> result.granted()
                            ? Uni.createFrom().item(new Authorization(new Hold(holdId, idempotencyKey, model,
                                    result.priceVersion().orElseThrow(), inputTokens, maxOutputTokens,
                                    result.estimateMicros(), result.periodStart(Window.MONTH), result.dayStart(),
                                    HoldStatus.HELD, expiresAt, Optional.empty()), false))
                            : refusals.explain(tenant, result, model, inputTokens, maxOutputTokens, idempotencyKey, now));
        }).onItemOrFailure().invoke((authorization, failure) -> {
            authorizationTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            String outcome = failure != null ? (isDenial(failure) ? "denied" : "failed")
                    : authorization.replayed() ? "replayed" : "granted";
            registry.counter("cs.budget.authorizations", "outcome", outcome).increment();
        });
    }

    /**
     * Charges the real cost at the hold's price version, exactly once ({@link Reservations#SETTLE}): a repeat returns
     * the first result. A cost above the estimate is charged in full, also after the hold expired or was released:
     * real spend is never dropped.
     */
    public Uni<Hold.Settlement> settle(TenantId tenant, UUID holdId, long inputTokens, long outputTokens) {
        // A call can end with no output (or, when it failed early, no tokens at all): zero is a real count here.
        checkTokens("inputTokens", inputTokens, 0, config.maxInputTokens());
        checkTokens("outputTokens", outputTokens, 0, config.maxOutputTokens());
        return Uni.createFrom().deferred(() -> {
            Instant now = clock.instant();
            return transactions.inTenantPipelined(tenant, Reservations.SETTLE,
                    Reservations.settleArguments(holdId, inputTokens, outputTokens, now,
                            config.defaultMonthlyLimitMicros()),
                    (connection, rows) -> {
                        Optional<Settled> settled = Reservations.settled(rows);
                        if (settled.isEmpty() || settled.get().cost().isEmpty()) {
                            return Uni.createFrom().item(TransactionOutcome.rollBack(settled));
                        }
                        return alerts.afterChange(connection, tenant, settled.get().budget(), settled.get().windows())
                                .replaceWith(TransactionOutcome.commit(settled));
                    })
                    .map(found -> {
                        Settled settled = found.orElseThrow(() -> BudgetProblems.holdNotFound(holdId));
                        return settled.cost().isPresent()
                                ? new Hold.Settlement(inputTokens, outputTokens, settled.cost().get(),
                                        settled.freedMicros(), now)
                                : new Hold.Settlement(settled.settledInputTokens(), settled.settledOutputTokens(),
                                        settled.settledCostMicros(), 0, settled.settledAt());
                    });
        });
    }

    /** Frees what the hold reserved. Idempotent: releasing a released or expired hold changes nothing. */
    public Uni<Void> release(TenantId tenant, UUID holdId) {
        return transactions.inTenant(tenant, connection -> holds.lock(connection, holdId).chain(found -> {
            Hold hold = found.orElseThrow(() -> BudgetProblems.holdNotFound(holdId));
            return switch (hold.status()) {
                case SETTLED -> Uni.createFrom().failure(BudgetProblems.holdSettled(holdId));
                case RELEASED, EXPIRED -> Uni.createFrom().voidItem();
                case HELD -> holds.release(connection, tenant, hold, clock.instant());
            };
        }));
    }

    private static void checkTokens(String field, long value, long min, long max) {
        if (value < min) {
            throw BudgetProblems.invalid(field, "must be at least " + min);
        }
        if (value > max) {
            throw BudgetProblems.invalid(field, "must be at most " + max);
        }
    }

    private static boolean isDenial(Throwable failure) {
        return failure instanceof ProblemException problem && problem.problem().status() == 402;
    }
}
