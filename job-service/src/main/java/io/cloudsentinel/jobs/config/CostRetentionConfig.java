package io.cloudsentinel.jobs.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code cs.jobs.costs.retention*}: how long tenants' FOCUS billing periods are kept (service/CostRetention). Only
 * these three keys: the other {@code cs.jobs.costs.*} groups have mappings of their own.
 */
@ConfigMapping(prefix = "cs.jobs.costs")
public interface CostRetentionConfig {

    /**
     * Billing periods that started longer ago are deleted with their daily and tag sums, and imports that finished
     * longer ago with their rejected rows. 400 days: 13 months, so that a year-over-year comparison still has its
     * month.
     */
    @WithDefault("400d")
    Duration retention();

    /**
     * How often the sweep runs, a duration or {@code off} (read by the {@code @Scheduled} of CostRetention; declared
     * here to be documented with the others).
     */
    @WithDefault("1h")
    String retentionInterval();

    /** Billing periods (of any tenants and sources) one pass deletes at most, each in its tenant's transaction. */
    @WithDefault("500")
    int retentionBatch();
}
