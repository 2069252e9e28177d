package io.cloudsentinel.scheduler.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.TierPolicy;
import io.cloudsentinel.scheduler.service.SweepMetrics;
import io.cloudsentinel.scheduler.service.Sweeper;

/** Wires the plain classes of the scheduler (which tests also build by hand, with pools of their own). */
public class SchedulerBeans {

    @Produces
    @Singleton
    TierPolicy tierPolicy(SchedulerConfig config) {
        return TierPolicy.of(config);
    }

    @Produces
    @Singleton
    Sweeper sweeper(TenantTransactions transactions, TierPolicy tiers, Clock clock, SweepMetrics metrics,
            SchedulerConfig config) {
        return new Sweeper(transactions, tiers, clock, metrics, config.batchSize(), config.maxBatchesPerSweep(),
                config.transientRetries(), config.topic());
    }
}
