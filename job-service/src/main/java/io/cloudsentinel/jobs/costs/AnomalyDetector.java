package io.cloudsentinel.jobs.costs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Flags the days whose cost rose out of their own series' recent past: for a day D, the baseline is the 28 days
 * before it (a day without a row counts as 0, but only from the series' first row on), at least 14 of them. Median
 * and MAD rather than mean and standard deviation, so that an earlier spike in the baseline does not hide the next
 * one. The modified z-score (Iglewicz and Hoaglin) is {@code (x - median) / (1.4826 MAD)}; the scale has floors (1%
 * of the median, and 0.01) so that a flat series does not divide by zero and a jump from a flat series still scores.
 * Only increases are flagged (as AWS Cost Anomaly Detection), and only when they cost at least the minimum impact,
 * so that cents page no one. Sums, medians and impacts are exact; the score is rounded to 6 decimals.
 */
public final class AnomalyDetector {

    public static final int BASELINE_DAYS = 28;
    public static final int MIN_BASELINE_DAYS = 14;
    /** MAD times this estimates the standard deviation of normally distributed values. */
    static final BigDecimal MAD_TO_SIGMA = new BigDecimal("1.4826");
    static final BigDecimal RELATIVE_SCALE_FLOOR = new BigDecimal("0.01");
    static final BigDecimal ABSOLUTE_SCALE_FLOOR = new BigDecimal("0.01");
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final int SCORE_DECIMALS = 6;

    private final BigDecimal threshold;
    private final BigDecimal minImpact;

    /**
     * @param threshold the least modified z-score of an anomaly (tenant setting anomaly_threshold)
     * @param minImpact the least cost above the median of an anomaly (tenant setting anomaly_min_impact)
     */
    public AnomalyDetector(BigDecimal threshold, BigDecimal minImpact) {
        if (threshold.signum() <= 0 || minImpact.signum() < 0) {
            throw new IllegalArgumentException("the threshold must be positive and the minimum impact not negative");
        }
        this.threshold = threshold;
        this.minImpact = minImpact;
    }

    public static AnomalyDetector of(CostSettings settings) {
        return new AnomalyDetector(settings.anomalyThreshold(), settings.anomalyMinImpact());
    }

    /** The anomalies of the series on the days from {@code first} to {@code last}, both included, in day order. */
    public List<DetectedAnomaly> detect(CostSeries series, LocalDate first, LocalDate last) {
        List<DetectedAnomaly> found = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            evaluate(series, day).ifPresent(found::add);
        }
        return found;
    }

    /** The day's verdict; empty when it is no anomaly or when its baseline is too short for one. */
    public Optional<DetectedAnomaly> evaluate(CostSeries series, LocalDate day) {
        Optional<LocalDate> firstDay = series.firstDay();
        if (firstDay.isEmpty()) {
            return Optional.empty();
        }
        LocalDate from = day.minusDays(BASELINE_DAYS);
        if (from.isBefore(firstDay.get())) {
            from = firstDay.get();
        }
        List<BigDecimal> baseline = new ArrayList<>();
        for (LocalDate d = from; d.isBefore(day); d = d.plusDays(1)) {
            baseline.add(series.on(d));
        }
        if (baseline.size() < MIN_BASELINE_DAYS) {
            return Optional.empty();
        }
        BigDecimal cost = series.on(day);
        BigDecimal median = median(baseline);
        BigDecimal impact = cost.subtract(median);
        if (impact.signum() <= 0 || impact.compareTo(minImpact) < 0) {
            return Optional.empty();
        }
        BigDecimal mad = median(baseline.stream().map(x -> x.subtract(median).abs()).toList());
        BigDecimal scale = MAD_TO_SIGMA.multiply(mad).max(RELATIVE_SCALE_FLOOR.multiply(median.abs()))
                .max(ABSOLUTE_SCALE_FLOOR);
        BigDecimal score = impact.divide(scale, MathContext.DECIMAL64);
        if (score.compareTo(threshold) < 0) {
            return Optional.empty();
        }
        return Optional.of(new DetectedAnomaly(series.id(), day, cost, median, mad, impact,
                score.setScale(SCORE_DECIMALS, RoundingMode.HALF_EVEN)));
    }

    /** Exact: the middle value, or the mean of the two middle ones (a half is always a finite decimal). */
    static BigDecimal median(List<BigDecimal> values) {
        List<BigDecimal> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle)
                : sorted.get(middle - 1).add(sorted.get(middle)).divide(TWO);
    }
}
