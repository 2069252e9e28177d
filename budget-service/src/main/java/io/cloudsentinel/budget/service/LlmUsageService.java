package io.cloudsentinel.budget.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.store.UsageSummary;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** What a tenant's LLM calls of the last days cost, from its settled holds. */
@ApplicationScoped
public class LlmUsageService {

    public record DayCost(LocalDate day, long costMicros) {
    }

    /** {@code byDay}: every UTC day the window touches, ascending, zero where nothing was settled. */
    public record UsageReport(Instant from, Instant to, long calls, long costMicros,
            List<UsageSummary.ModelUsage> byModel, List<DayCost> byDay) {
    }

    private final TenantTransactions transactions;
    private final UsageSummary summary;
    private final Clock clock;

    public LlmUsageService(TenantTransactions transactions, UsageSummary summary, Clock clock) {
        this.transactions = transactions;
        this.summary = summary;
        this.clock = clock;
    }

    /** Holds settled in {@code [now - days, now)}. */
    public Uni<UsageReport> lastDays(TenantId tenant, int days) {
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofDays(days));
        return transactions.inTenant(tenant, connection -> summary.between(connection, from, to))
                .map(usage -> {
                    List<DayCost> byDay = new ArrayList<>();
                    LocalDate last = to.minusNanos(1).atOffset(ZoneOffset.UTC).toLocalDate();
                    for (LocalDate day = from.atOffset(ZoneOffset.UTC).toLocalDate(); !day.isAfter(last); day = day
                            .plusDays(1)) {
                        byDay.add(new DayCost(day, usage.costByDay().getOrDefault(day, 0L)));
                    }
                    return new UsageReport(from, to, usage.calls(), usage.costMicros(), usage.byModel(), byDay);
                });
    }
}
