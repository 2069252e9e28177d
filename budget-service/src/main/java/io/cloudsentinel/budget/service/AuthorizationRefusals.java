package io.cloudsentinel.budget.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.BudgetPeriods;
import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.ModelPrice;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.service.AuthorizationService.Authorization;
import io.cloudsentinel.budget.store.HoldLookup;
import io.cloudsentinel.budget.store.PriceCatalog;
import io.cloudsentinel.budget.store.Reservations.Authorized;
import io.cloudsentinel.budget.store.WindowCounters;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;

/**
 * What follows an authorization the reserving statement rolled back: each reason is looked up afresh in a short
 * transaction of its own, so the hot path stays one statement. A replay answers with the earlier hold; a denial
 * records the exhaustion alert and raises the 402; an unknown model raises the 422 with the models there are.
 */
// created at start: the denial counters exist at 0 per window, for rate() and the denial-spike alert
@Startup
@ApplicationScoped
public class AuthorizationRefusals {

    private final TenantTransactions transactions;
    private final HoldLookup holds;
    private final WindowCounters counters;
    private final PriceCatalog prices;
    private final BudgetAlerts alerts;
    private final MeterRegistry registry;

    public AuthorizationRefusals(TenantTransactions transactions, HoldLookup holds, WindowCounters counters,
            PriceCatalog prices, BudgetAlerts alerts, MeterRegistry registry) {
        this.transactions = transactions;
        this.holds = holds;
        this.counters = counters;
        this.prices = prices;
        this.alerts = alerts;
        this.registry = registry;
        for (Window window : Window.values()) {
            registry.counter("cs.budget.denials", "window", window.name());
        }
    }

    Uni<Authorization> explain(TenantId tenant, Authorized result, String model, long inputTokens,
            long maxOutputTokens, String idempotencyKey, Instant now) {
        if (result.priceVersion().isEmpty()) {
            return unknownModel(tenant, model, now);
        }
        if (result.holdId().isEmpty()) {
            return replay(tenant, idempotencyKey, model, inputTokens, maxOutputTokens);
        }
        return deny(tenant, result, now);
    }

    /** The key was taken by an earlier (committed) authorization: answer with its hold if it asked the same. */
    private Uni<Authorization> replay(TenantId tenant, String key, String model, long inputTokens,
            long maxOutputTokens) {
        return transactions.inTenant(tenant, connection -> holds.byIdempotencyKey(connection, key)).map(existing -> {
            Hold hold = existing.orElseThrow(() -> new IllegalStateException("idempotency key conflict without hold"));
            if (!hold.sameRequest(model, inputTokens, maxOutputTokens)) {
                throw BudgetProblems.idempotencyKeyReused(key);
            }
            return new Authorization(hold, true);
        });
    }

    /** Records the exhaustion alert of the blocking window and raises the 402 with that window's counters. */
    private Uni<Authorization> deny(TenantId tenant, Authorized result, Instant now) {
        Window blocking = result.blockingWindow();
        Budget budget = result.budget();
        return transactions.inTenant(tenant, connection -> counters.state(connection, blocking,
                result.periodStart(blocking))
                .call(state -> alerts.exhausted(connection, tenant, budget, state)))
                .map(state -> {
                    registry.counter("cs.budget.denials", "window", blocking.name()).increment();
                    throw BudgetProblems.budgetExceeded(blocking, budget.limit(blocking), state,
                            result.estimateMicros(), BudgetPeriods.at(now, budget.zone()).resetAt(blocking), now);
                });
    }

    private Uni<Authorization> unknownModel(TenantId tenant, String model, Instant now) {
        return transactions.inTenant(tenant, connection -> prices.allInForce(connection, now)).map(all -> {
            throw BudgetProblems.unknownModel(model, all.stream().map(ModelPrice::model).toList());
        });
    }
}
