package io.cloudsentinel.jobs.costs;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's cost settings ({@code cost_settings}); a tenant that stored none has {@link #DEFAULTS}.
 *
 * @param tagKeys the tag keys whose daily aggregates are kept, for {@code groupBy=tag:<key>} (at most 10)
 * @param anomalyMinImpact the least a day must cost above its baseline, in the row's currency, to be an anomaly
 * @param anomalyThreshold the least modified z-score (deviation from the median over 1.4826 MAD) of an anomaly
 * @param maxRejectedRows rejected rows an import may have and still replace its periods
 * @param analysisMaxInputTokens the token budget of the cost summary sent to the model; the operator's when empty
 */
public record CostSettings(List<String> tagKeys, BigDecimal anomalyMinImpact, BigDecimal anomalyThreshold,
        long maxRejectedRows, Optional<Integer> analysisMaxInputTokens) {

    public static final int MAX_TAG_KEYS = 10;

    /** The columns' defaults in V6__costs.sql. */
    public static final CostSettings DEFAULTS = new CostSettings(List.of(), new BigDecimal("100"),
            new BigDecimal("3.5"), 0, Optional.empty());

    public CostSettings {
        tagKeys = List.copyOf(tagKeys);
    }
}
