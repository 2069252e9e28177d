package io.cloudsentinel.e2e;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Base64;

/**
 * A FOCUS 1.2 export as a cloud provider writes it: one Usage row a day for a service, in USD, over the
 * {@code days} days up to yesterday, steady around {@code 100} and {@code spike} on the last day, each day in its
 * month's billing period. What a tenant uploads.
 */
record FocusExport(String service, LocalDate first, LocalDate last, BigDecimal effectiveTotal, byte[] csv) {

    private static final String HEADER = "BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,"
            + "ChargeCategory,BilledCost,EffectiveCost,BillingCurrency,ServiceName,RegionId,ResourceId,"
            + "ConsumedQuantity,Tags";

    static FocusExport dailyWithSpike(String service, LocalDate today, int days, BigDecimal spike) {
        LocalDate first = today.minusDays(days);
        LocalDate last = today.minusDays(1);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        BigDecimal total = BigDecimal.ZERO;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            BigDecimal cost = day.equals(last) ? spike
                    : new BigDecimal("100.00").add(BigDecimal.valueOf(
                            day.getDayOfMonth() % 5));
            total = total.add(cost);
            LocalDate period = day.withDayOfMonth(1);
            csv.append(period).append("T00:00:00Z,").append(period.plusMonths(1)).append("T00:00:00Z,")
                    .append(day).append("T00:00:00Z,").append(day.plusDays(1)).append("T00:00:00Z,")
                    .append("Usage,").append(cost).append(',').append(cost).append(",USD,\"").append(service)
                    .append("\",us-east-1,i-0e2e,24,{}\n");
        }
        return new FocusExport(service, first, last, total, csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    int rows() {
        return (int) (last.toEpochDay() - first.toEpochDay()) + 1;
    }

    /** The {@code Content-Digest} header the upload route wants (RFC 9530). */
    String contentDigest() {
        try {
            return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(csv))
                    + ":";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
