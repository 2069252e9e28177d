package io.cloudsentinel.budget.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.BudgetPeriods;
import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.HoldStatus;
import io.cloudsentinel.budget.LedgerEntry;
import io.cloudsentinel.budget.ModelPrice;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.WindowState;
import io.cloudsentinel.budget.config.BudgetConfig;
import io.cloudsentinel.budget.repository.BudgetRepository;
import io.cloudsentinel.budget.repository.HoldRepository;
import io.cloudsentinel.budget.repository.LedgerRepository;
import io.cloudsentinel.budget.repository.PriceCatalog;
import io.cloudsentinel.budget.repository.WindowRepository;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * Authorize, settle and release: each one short transaction for the tenant. Nothing stays open between an
 * authorization and its settlement; the hold row carries the state in between.
 */
@ApplicationScoped
public class AuthorizationService {

    /** What authorize answers: the hold, and whether it was there already under the idempotency key. */
    public record Authorization(Hold hold, boolean replayed) {
    }

    /** What the authorization transaction decided: a hold, or a denial to raise after it committed. */
    private record Outcome(Authorization authorization, ProblemException denial) {
        static Outcome granted(Authorization authorization) {
            return new Outcome(authorization, null);
        }
    }

    private final TenantTransactions transactions;
    private final PriceCatalog prices;
    private final BudgetRepository budgets;
    private final WindowRepository windows;
    private final HoldRepository holds;
    private final LedgerRepository ledger;
    private final BudgetAlerts alerts;
    private final BudgetConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Timer authorizationTimer;

    public AuthorizationService(TenantTransactions transactions, PriceCatalog prices, BudgetRepository budgets,
            WindowRepository windows, HoldRepository holds, LedgerRepository ledger, BudgetAlerts alerts,
            BudgetConfig config, Clock clock, MeterRegistry registry) {
        this.transactions = transactions;
        this.prices = prices;
        this.budgets = budgets;
        this.windows = windows;
        this.holds = holds;
        this.ledger = ledger;
        this.alerts = alerts;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.authorizationTimer = Timer.builder("cs.budget.authorization.duration")
                .description("Time to authorize an LLM call, including the database transaction")
                .publishPercentileHistogram()
                .register(registry);
    }

    public Uni<Authorization> authorize(TenantId tenant, String model, long inputTokens, long maxOutputTokens,
            String idempotencyKey) {
        checkTokens("inputTokens", inputTokens, 1, config.maxInputTokens());
        checkTokens("maxOutputTokens", maxOutputTokens, 1, config.maxOutputTokens());
        long started = System.nanoTime();
        return transactions.inTenant(tenant, session -> {
            Instant now = clock.instant();
            return prices.inForce(session, model, now)
                    .chain(price -> price.isPresent()
                            ? reserve(session, tenant, price.get(), inputTokens, maxOutputTokens, idempotencyKey, now)
                            : unknownModel(session, model, now));
        }).map(outcome -> {
            // A denial commits only its alert; the 402 is raised once that transaction is done.
            if (outcome.denial() != null) {
                throw outcome.denial();
            }
            return outcome.authorization();
        }).onItemOrFailure().invoke((authorization, failure) -> {
            authorizationTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            String outcome = failure != null ? (isDenial(failure) ? "denied" : "failed")
                    : authorization.replayed() ? "replayed" : "granted";
            registry.counter("cs.budget.authorizations", "outcome", outcome).increment();
        });
    }

    private Uni<Outcome> reserve(Mutiny.Session session, TenantId tenant, ModelPrice price, long inputTokens,
            long maxOutputTokens, String idempotencyKey, Instant now) {
        return budgets.findOrCreate(session, tenant, config.defaultMonthlyLimitMicros()).chain(budget -> {
            BudgetPeriods periods = BudgetPeriods.at(now, budget.zone());
            List<Window> kinds = budget.dailyLimitMicros().isPresent() ? List.of(Window.MONTH, Window.DAY)
                    : List.of(Window.MONTH);
            long estimate = price.costMicros(inputTokens, maxOutputTokens);
            Hold hold = new Hold(UUID.randomUUID(), idempotencyKey, price.model(), price.version(), inputTokens,
                    maxOutputTokens, estimate, periods.monthStart(),
                    kinds.contains(Window.DAY) ? Optional.of(periods.dayStart()) : Optional.empty(), HoldStatus.HELD,
                    now.plus(config.holdTtl()), Optional.empty());
            return windows.ensure(session, tenant, periods, kinds)
                    .chain(() -> savepoint(session, "SAVEPOINT before_hold"))
                    .chain(() -> holds.insert(session, tenant, hold))
                    .chain(inserted -> {
                        if (!inserted) {
                            return replay(session, idempotencyKey, price.model(), inputTokens, maxOutputTokens)
                                    .map(Outcome::granted);
                        }
                        return windows.reserve(session, tenant, hold.monthStart(), hold.dayStart(), estimate)
                                .chain(reserved -> reserved.size() == kinds.size()
                                        ? ledger.append(session, tenant, hold, LedgerEntry.Type.HOLD, estimate, 0)
                                                .chain(() -> alerts.afterChange(session, tenant, budget, reserved))
                                                .map(ignored -> Outcome.granted(new Authorization(hold, false)))
                                        : deny(session, tenant, budget, periods, kinds, reserved, estimate, now));
                    });
        });
    }

    private static Uni<Void> savepoint(Mutiny.Session session, String statement) {
        return session.createNativeQuery(statement).executeUpdate().replaceWithVoid();
    }

    private Uni<Authorization> replay(Mutiny.Session session, String key, String model, long inputTokens,
            long maxOutputTokens) {
        return holds.findByIdempotencyKey(session, key).map(existing -> {
            Hold hold = existing.orElseThrow(() -> new IllegalStateException("idempotency key conflict without hold"));
            if (!hold.sameRequest(model, inputTokens, maxOutputTokens)) {
                throw BudgetProblems.idempotencyKeyReused(key);
            }
            return new Authorization(hold, true);
        });
    }

    /**
     * Undoes the hold and any window that did take the reservation (back to the savepoint), records the exhaustion
     * alert of the blocking window, and returns the 402 to raise once that commits.
     */
    private Uni<Outcome> deny(Mutiny.Session session, TenantId tenant, Budget budget, BudgetPeriods periods,
            List<Window> kinds, List<WindowState> reserved, long estimate, Instant now) {
        Window blocking = kinds.stream()
                .filter(kind -> reserved.stream().noneMatch(state -> state.window() == kind))
                .findFirst().orElseThrow();
        return savepoint(session, "ROLLBACK TO SAVEPOINT before_hold")
                .chain(() -> windows.states(session, periods, List.of(blocking)))
                .chain(states -> {
                    WindowState state = states.get(0);
                    registry.counter("cs.budget.denials", "window", blocking.name()).increment();
                    ProblemException denial = BudgetProblems.budgetExceeded(blocking, budget.limit(blocking), state,
                            estimate, periods.resetAt(blocking), now);
                    return alerts.exhausted(session, tenant, budget, state)
                            .map(ignored -> new Outcome(null, denial));
                });
    }

    private Uni<Outcome> unknownModel(Mutiny.Session session, String model, Instant now) {
        return prices.allInForce(session, now).map(all -> {
            throw BudgetProblems.unknownModel(model, all.stream().map(ModelPrice::model).toList());
        });
    }

    /**
     * Charges the real cost at the hold's price version, exactly once: a repeat returns the first result. A cost above
     * the estimate is charged in full, also after the hold expired or was released: real spend is never dropped.
     */
    public Uni<Hold.Settlement> settle(TenantId tenant, UUID holdId, long inputTokens, long outputTokens) {
        // A call can end with no output (or, when it failed early, no tokens at all): zero is a real count here.
        checkTokens("inputTokens", inputTokens, 0, config.maxInputTokens());
        checkTokens("outputTokens", outputTokens, 0, config.maxOutputTokens());
        return transactions.inTenant(tenant, session -> holds.lock(session, holdId).chain(found -> {
            Hold hold = found.orElseThrow(() -> BudgetProblems.holdNotFound(holdId));
            if (hold.status() == HoldStatus.SETTLED) {
                return Uni.createFrom().item(hold.settlement().orElseThrow());
            }
            return prices.version(session, hold.model(), hold.priceVersion()).chain(price -> {
                long cost = price.costMicros(inputTokens, outputTokens);
                long freed = hold.status() == HoldStatus.HELD ? hold.estimateMicros() : 0;
                Hold.Settlement settlement = new Hold.Settlement(inputTokens, outputTokens, cost, freed,
                        clock.instant());
                return windows.settle(session, tenant, hold, cost, freed)
                        .chain(after -> budgets.find(session).chain(budget -> budget.isPresent()
                                ? alerts.afterChange(session, tenant, budget.get(), after)
                                : Uni.createFrom().voidItem()))
                        .chain(() -> holds.markSettled(session, holdId, settlement))
                        .chain(() -> ledger.append(session, tenant, hold, LedgerEntry.Type.SETTLE, -freed, cost))
                        .map(ignored -> settlement);
            });
        }));
    }

    /** Frees what the hold reserved. Idempotent: releasing a released or expired hold changes nothing. */
    public Uni<Void> release(TenantId tenant, UUID holdId) {
        return transactions.inTenant(tenant, session -> holds.lock(session, holdId).chain(found -> {
            Hold hold = found.orElseThrow(() -> BudgetProblems.holdNotFound(holdId));
            return switch (hold.status()) {
                case SETTLED -> Uni.createFrom().failure(BudgetProblems.holdSettled(holdId));
                case RELEASED, EXPIRED -> Uni.createFrom().voidItem();
                case HELD -> windows.release(session, tenant, hold)
                        .chain(ignored -> holds.markReleased(session, holdId, clock.instant()))
                        .chain(() -> ledger.append(session, tenant, hold, LedgerEntry.Type.RELEASE,
                                -hold.estimateMicros(), 0));
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
