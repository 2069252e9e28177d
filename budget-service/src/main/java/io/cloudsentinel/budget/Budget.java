package io.cloudsentinel.budget;

import java.time.ZoneId;
import java.util.OptionalLong;

/** A tenant's limits in micro-USD and how they are enforced. */
public record Budget(long monthlyLimitMicros, OptionalLong dailyLimitMicros, int softAlertPercent, BudgetMode mode,
        ZoneId zone) {

    public static final int DEFAULT_SOFT_ALERT_PERCENT = 80;
    public static final BudgetMode DEFAULT_MODE = BudgetMode.HARD;
    public static final String DEFAULT_ZONE = "UTC";

    /**
     * The budget of a tenant that has set none: the configured monthly limit, enforced hard (fail closed). The
     * authorizing statement applies the same one ({@code Reservations}).
     */
    public static Budget defaults(long monthlyLimitMicros) {
        return new Budget(monthlyLimitMicros, OptionalLong.empty(), DEFAULT_SOFT_ALERT_PERCENT, DEFAULT_MODE,
                ZoneId.of(DEFAULT_ZONE));
    }

    public long limit(Window window) {
        return switch (window) {
            case MONTH -> monthlyLimitMicros;
            case DAY -> dailyLimitMicros.orElseThrow(() -> new IllegalStateException("no daily limit"));
        };
    }
}
