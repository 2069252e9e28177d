package io.cloudsentinel.budget;

import java.time.ZoneId;
import java.util.OptionalLong;

/** A tenant's limits in micro-USD and how they are enforced. */
public record Budget(long monthlyLimitMicros, OptionalLong dailyLimitMicros, int softAlertPercent, BudgetMode mode,
        ZoneId zone) {

    public long limit(Window window) {
        return switch (window) {
            case MONTH -> monthlyLimitMicros;
            case DAY -> dailyLimitMicros.orElseThrow(() -> new IllegalStateException("no daily limit"));
        };
    }
}
