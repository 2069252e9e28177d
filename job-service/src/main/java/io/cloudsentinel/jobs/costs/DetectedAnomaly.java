package io.cloudsentinel.jobs.costs;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A day whose Usage cost rose out of its series' trailing baseline, in the series' currency.
 *
 * @param effectiveCost the day's cost
 * @param baselineMedian the median of the baseline days
 * @param baselineMad the median absolute deviation of the baseline days from their median
 * @param impact how much the day cost above the median
 * @param score the modified z-score: the impact over the baseline's scale (1.4826 MAD, with floors)
 */
public record DetectedAnomaly(CostSeries.Id series, LocalDate day, BigDecimal effectiveCost,
        BigDecimal baselineMedian, BigDecimal baselineMad, BigDecimal impact, BigDecimal score) {
}
