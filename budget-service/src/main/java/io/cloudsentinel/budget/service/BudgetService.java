package io.cloudsentinel.budget.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.BudgetPeriods;
import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.Window;
import io.cloudsentinel.budget.WindowState;
import io.cloudsentinel.budget.config.BudgetConfig;
import io.cloudsentinel.budget.repository.BudgetSettings;
import io.cloudsentinel.budget.repository.BudgetSettingsRepository;
import io.cloudsentinel.budget.store.TimeZoneNames;
import io.cloudsentinel.budget.store.WindowCounters;
import io.cloudsentinel.platform.tenant.PgErrors;
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
    private final BudgetSettingsRepository settings;
    private final WindowCounters counters;
    private final TimeZoneNames zones;
    private final BudgetConfig config;
    private final Clock clock;

    public BudgetService(TenantTransactions transactions, BudgetSettingsRepository settings, WindowCounters counters,
            TimeZoneNames zones, BudgetConfig config, Clock clock) {
        this.transactions = transactions;
        this.settings = settings;
        this.counters = counters;
        this.zones = zones;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The tenant's budget, or the default (fail-closed) one while it has set none — the same default the authorizing
     * statement applies, so reading a budget never writes one.
     */
    public Uni<BudgetStatus> status(TenantId tenant) {
        return transactions.inTenantSession(tenant, session -> settings.findById(tenant.value()))
                .map(found -> found == null ? defaultBudget() : found.budget())
                .chain(budget -> {
                    Instant now = clock.instant();
                    BudgetPeriods periods = BudgetPeriods.at(now, budget.zone());
                    List<Window> kinds = budget.dailyLimitMicros().isPresent() ? List.of(Window.MONTH, Window.DAY)
                            : List.of(Window.MONTH);
                    return transactions.inTenant(tenant, connection -> counters.states(connection, periods, kinds))
                            .map(states -> new BudgetStatus(budget, periods, states, now));
                });
    }

    /**
     * Sets the tenant's budget; the first setting of a tenant creates its row. A zone PostgreSQL does not know is
     * refused before anything is written: every authorization of the tenant would fail on it.
     */
    public Uni<BudgetStatus> update(TenantId tenant, Budget budget) {
        String zone = budget.zone().getId();
        return transactions.inTenant(tenant, connection -> zones.known(connection, zone))
                .invoke(known -> {
                    if (!known) {
                        throw BudgetProblems.invalid("timeZone", "'" + zone + "' is not a time zone PostgreSQL knows");
                    }
                })
                .chain(() -> write(tenant, budget))
                .chain(() -> status(tenant));
    }

    private Uni<Void> write(TenantId tenant, Budget budget) {
        return transactions.inTenantSession(tenant, session -> settings.findById(tenant.value()).chain(found -> {
            Instant now = clock.instant();
            if (found != null) {
                found.change(budget, now);
                return Uni.createFrom().voidItem();
            }
            return settings.persist(BudgetSettings.of(tenant.value(), budget, now)).replaceWithVoid();
        }))
                // two first settings at once: the one that lost the insert runs again and updates the other's row
                .onFailure(PgErrors::isUniqueViolation).retry().atMost(1);
    }

    private Budget defaultBudget() {
        return Budget.defaults(config.defaultMonthlyLimitMicros());
    }
}
