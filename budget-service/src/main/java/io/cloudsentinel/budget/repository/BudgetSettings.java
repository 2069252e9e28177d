package io.cloudsentinel.budget.repository;

import java.time.Instant;
import java.time.ZoneId;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.BudgetMode;

/** A tenant's budget settings row: read, changed and written back as one aggregate. */
@Entity
@Table(name = "budgets")
public class BudgetSettings {

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Column(name = "monthly_limit_micros", nullable = false)
    long monthlyLimitMicros;

    @Column(name = "daily_limit_micros")
    Long dailyLimitMicros;

    @Column(name = "soft_alert_percent", nullable = false)
    int softAlertPercent;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    BudgetMode mode;

    @Column(name = "time_zone", nullable = false)
    String timeZone;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected BudgetSettings() {
    }

    public static BudgetSettings of(UUID tenantId, Budget budget, Instant at) {
        BudgetSettings settings = new BudgetSettings();
        settings.tenantId = tenantId;
        settings.change(budget, at);
        return settings;
    }

    public void change(Budget budget, Instant at) {
        monthlyLimitMicros = budget.monthlyLimitMicros();
        dailyLimitMicros = budget.dailyLimitMicros().isPresent() ? budget.dailyLimitMicros().getAsLong() : null;
        softAlertPercent = budget.softAlertPercent();
        mode = budget.mode();
        timeZone = budget.zone().getId();
        updatedAt = at;
    }

    public Budget budget() {
        return new Budget(monthlyLimitMicros,
                dailyLimitMicros == null ? OptionalLong.empty() : OptionalLong.of(dailyLimitMicros), softAlertPercent,
                mode, ZoneId.of(timeZone));
    }
}
