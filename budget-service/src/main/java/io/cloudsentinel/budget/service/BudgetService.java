package io.cloudsentinel.budget.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.BudgetPeriods;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.WindowState;
import io.cloudsentinel.budget.config.BudgetConfig;
import io.cloudsentinel.budget.repository.BudgetRepository;
import io.cloudsentinel.budget.repository.WindowRepository;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** Reads and changes a tenant's budget. */
@ApplicationScoped
public class BudgetService {

    /** The budget with the counters of its current periods. */
    public record BudgetStatus(Budget budget, BudgetPeriods periods, List<WindowState> windows, Instant now) {
    }

    private final TenantTransactions transactions;
    private final BudgetRepository budgets;
    private final WindowRepository windows;
    private final BudgetConfig config;
    private final Clock clock;

    public BudgetService(TenantTransactions transactions, BudgetRepository budgets, WindowRepository windows,
            BudgetConfig config, Clock clock) {
        this.transactions = transactions;
        this.budgets = budgets;
        this.windows = windows;
        this.config = config;
        this.clock = clock;
    }

    public Uni<BudgetStatus> status(TenantId tenant) {
        return transactions.inTenant(tenant, session -> budgets.findOrCreate(session, tenant,
                config.defaultMonthlyLimitMicros()).chain(budget -> {
                    Instant now = clock.instant();
                    BudgetPeriods periods = BudgetPeriods.at(now, budget.zone());
                    List<Window> kinds = budget.dailyLimitMicros().isPresent() ? List.of(Window.MONTH, Window.DAY)
                            : List.of(Window.MONTH);
                    return windows.states(session, periods, kinds)
                            .map(states -> new BudgetStatus(budget, periods, states, now));
                }));
    }

    public Uni<BudgetStatus> update(TenantId tenant, Budget budget) {
        return transactions.inTenant(tenant, session -> budgets.save(session, tenant, budget))
                .chain(() -> status(tenant));
    }
}
