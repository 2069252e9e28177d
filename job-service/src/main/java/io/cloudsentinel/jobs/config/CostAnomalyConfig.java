package io.cloudsentinel.jobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.jobs.costs.anomaly.*}: what {@code cost_anomaly_detection} evaluates. */
@ConfigMapping(prefix = "cs.jobs.costs.anomaly")
public interface CostAnomalyConfig {

    /**
     * The complete UTC days before today that each run evaluates: more than one, since exports restate recent days
     * and a day that arrives late may only then be anomalous. A job's payload {@code days} overrides it.
     */
    @WithDefault("3")
    int evaluatedDays();
}
