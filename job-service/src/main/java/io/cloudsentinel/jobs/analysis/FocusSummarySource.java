package io.cloudsentinel.jobs.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.JobRun;
import io.cloudsentinel.jobs.store.AnalysisCostSummaryRead;
import io.smallrye.mutiny.Uni;

/**
 * The tenant's cloud costs from its FOCUS imports, as the compact summary the prompt holds: a line per service and
 * currency with its spend over the last 30 days and its trend against the 30 before (the prompt orders lines by
 * amount, so the services that cost most come first and the movers say so in their note), a line per anomaly of those
 * days (its impact above the baseline) and per idle resource of the last scan. The prompt's token budget cuts the
 * smallest lines first.
 */
@ApplicationScoped
public class FocusSummarySource implements AnalysisInputSource {

    static final int DAYS = 30;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final AnalysisCostSummaryRead summary;
    private final Clock clock;

    public FocusSummarySource(AnalysisCostSummaryRead summary, Clock clock) {
        this.summary = summary;
        this.clock = clock;
    }

    @Override
    public Uni<List<CostLine>> lines(JobRun run) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = today.minusDays(DAYS);
        Optional<String> start = Optional.of(from.toString());
        Optional<String> end = Optional.of(today.minusDays(1).toString());
        return run.inTenant(connection -> summary.spendByService(connection, run.tenant(), today, DAYS)
                .chain(spend -> summary.anomaliesSince(connection, run.tenant(), from)
                        .chain(anomalies -> summary.idleResources(connection, run.tenant()).map(idle -> {
                            List<CostLine> lines = new ArrayList<>();
                            spend.forEach(service -> lines.add(new CostLine("focus_costs",
                                    "service " + service.service(), service.recent(), service.currency(), start, end,
                                    Optional.of(trend(service)))));
                            anomalies.forEach(anomaly -> lines.add(new CostLine("focus_anomaly",
                                    "anomaly " + anomaly.service() + where(anomaly.subAccount(), anomaly.region()),
                                    anomaly.impact(), anomaly.currency(), Optional.of(anomaly.day().toString()),
                                    Optional.of(anomaly.day().toString()),
                                    Optional.of("impact above the 28-day median: cost " + plain(anomaly.effectiveCost())
                                            + " against a median of " + plain(anomaly.baselineMedian())))));
                            idle.forEach(resource -> lines.add(new CostLine("focus_idle",
                                    "idle resource " + resource.resourceId() + " (" + resource.service()
                                            + where("", resource.region()) + ")",
                                    resource.effectiveCost(), resource.currency(),
                                    Optional.of(resource.firstDay().toString()),
                                    Optional.of(resource.lastDay().toString()),
                                    Optional.of("billed " + resource.daysBilled()
                                            + " days in a row with no consumed quantity"))));
                            return lines;
                        }))));
    }

    private static String trend(AnalysisCostSummaryRead.ServiceSpend service) {
        if (service.previous().signum() == 0) {
            return "new: nothing in the previous " + DAYS + " days";
        }
        BigDecimal change = service.recent().subtract(service.previous()).multiply(HUNDRED)
                .divide(service.previous().abs(), 1, RoundingMode.HALF_EVEN);
        return "previous " + DAYS + " days " + plain(service.previous()) + " (" + (change.signum() > 0 ? "+" : "")
                + change.toPlainString() + "%)";
    }

    private static String where(String subAccount, String region) {
        List<String> parts = new ArrayList<>();
        if (subAccount != null && !subAccount.isEmpty()) {
            parts.add("account " + subAccount);
        }
        if (region != null && !region.isEmpty()) {
            parts.add(region);
        }
        return parts.isEmpty() ? "" : " in " + String.join(", ", parts);
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }
}
