package io.cloudsentinel.jobs.costs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One checked row of a FOCUS export. Amounts are exact and in {@code billingCurrency} (an ISO 4217 code): they are
 * never converted nor added across currencies. Periods are UTC instants, ends exclusive as in FOCUS. Optional text
 * columns are {@code null} when empty or absent; {@code consumedQuantity} likewise; {@code tags} is never null.
 *
 * @param line physical line of the row in the file (header = 1), for the import's report
 */
public record FocusRow(
        long line,
        BigDecimal billedCost,
        BigDecimal effectiveCost,
        String billingCurrency,
        Instant billingPeriodStart,
        Instant billingPeriodEnd,
        Instant chargePeriodStart,
        Instant chargePeriodEnd,
        String chargeCategory,
        String serviceName,
        String serviceCategory,
        String providerName,
        String subAccountId,
        String regionId,
        String resourceId,
        BigDecimal consumedQuantity,
        String consumedUnit,
        Map<String, String> tags) {

    public FocusRow {
        tags = Map.copyOf(tags);
    }
}
