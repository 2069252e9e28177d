package io.cloudsentinel.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The periods an instant falls in, in the tenant's zone. A period is identified by its first day, so a new month
 * or day simply addresses a new window row: no batch job rolls anything over.
 */
public record BudgetPeriods(ZoneId zone, LocalDate monthStart, LocalDate dayStart) {

    public static BudgetPeriods at(Instant now, ZoneId zone) {
        LocalDate today = now.atZone(zone).toLocalDate();
        return new BudgetPeriods(zone, today.withDayOfMonth(1), today);
    }

    public LocalDate start(Window window) {
        return window == Window.MONTH ? monthStart : dayStart;
    }

    /** When the window's next period begins, as an instant (midnight in the zone, DST-aware). */
    public Instant resetAt(Window window) {
        LocalDate next = window == Window.MONTH ? monthStart.plusMonths(1) : dayStart.plusDays(1);
        return ZonedDateTime.of(next.atStartOfDay(), zone).toInstant();
    }

    public Instant periodStartInstant(Window window) {
        return start(window).atStartOfDay(zone).toInstant();
    }
}
