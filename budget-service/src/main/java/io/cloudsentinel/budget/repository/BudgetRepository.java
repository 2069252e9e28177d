package io.cloudsentinel.budget.repository;

import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.BudgetMode;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;

/** The tenant's budget row; row-level security shows each tenant only its own. */
@ApplicationScoped
public class BudgetRepository {

    public Uni<Optional<Budget>> find(Mutiny.Session session) {
        return session.createNativeQuery("SELECT monthly_limit_micros, daily_limit_micros, soft_alert_percent, mode,"
                + " time_zone FROM budgets", Object[].class)
                .getResultList()
                .map(rows -> rows.stream().findFirst().map(BudgetRepository::budget));
    }

    /** The tenant's budget, created with the default (fail-closed) limits on first use. */
    public Uni<Budget> findOrCreate(Mutiny.Session session, TenantId tenant, long defaultMonthlyLimitMicros) {
        return find(session).chain(found -> found.isPresent()
                ? Uni.createFrom().item(found.get())
                : session.createNativeQuery("INSERT INTO budgets (tenant_id, monthly_limit_micros) VALUES (:tenant, :limit)"
                        + " ON CONFLICT (tenant_id) DO NOTHING")
                        .setParameter("tenant", tenant.value())
                        .setParameter("limit", defaultMonthlyLimitMicros)
                        .executeUpdate()
                        .chain(() -> find(session))
                        .map(Optional::orElseThrow));
    }

    public Uni<Void> save(Mutiny.Session session, TenantId tenant, Budget budget) {
        return session.createNativeQuery("INSERT INTO budgets AS b (tenant_id, monthly_limit_micros, daily_limit_micros,"
                + " soft_alert_percent, mode, time_zone, updated_at)"
                + " VALUES (:tenant, :monthly, CAST(:daily AS bigint), :soft, :mode, :zone, now())"
                + " ON CONFLICT (tenant_id) DO UPDATE SET monthly_limit_micros = excluded.monthly_limit_micros,"
                + " daily_limit_micros = excluded.daily_limit_micros, soft_alert_percent = excluded.soft_alert_percent,"
                + " mode = excluded.mode, time_zone = excluded.time_zone, updated_at = now()")
                .setParameter("tenant", tenant.value())
                .setParameter("monthly", budget.monthlyLimitMicros())
                .setParameter("daily", budget.dailyLimitMicros().isPresent() ? budget.dailyLimitMicros().getAsLong() : null)
                .setParameter("soft", budget.softAlertPercent())
                .setParameter("mode", budget.mode().name())
                .setParameter("zone", budget.zone().getId())
                .executeUpdate()
                .replaceWithVoid();
    }

    private static Budget budget(Object[] row) {
        Long daily = Rows.nullableLong(row[1]);
        return new Budget(Rows.longValue(row[0]), daily == null ? OptionalLong.empty() : OptionalLong.of(daily),
                Rows.intValue(row[2]), BudgetMode.valueOf((String) row[3]), ZoneId.of((String) row[4]));
    }
}
