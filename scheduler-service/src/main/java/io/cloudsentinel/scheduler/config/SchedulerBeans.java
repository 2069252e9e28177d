package io.cloudsentinel.scheduler.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cloudsentinel.platform.tenant.PoolTransactions;
import io.cloudsentinel.platform.tenant.TenantIsolationMetrics;
import io.cloudsentinel.scheduler.TierPolicy;
import io.cloudsentinel.scheduler.service.SweepMetrics;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.vertx.mutiny.sqlclient.Pool;

/** Wires the plain classes of the scheduler (which tests also build by hand, with pools of their own). */
public class SchedulerBeans {

    @Produces
    @Singleton
    TierPolicy tierPolicy(SchedulerConfig config) {
        return TierPolicy.of(config);
    }

    @Produces
    @Singleton
    PoolTransactions poolTransactions(Pool pool, TenantIsolationMetrics metrics) {
        return new PoolTransactions(pool, metrics);
    }

    @Produces
    @Singleton
    Sweeper sweeper(PoolTransactions transactions, TierPolicy tiers, Clock clock, SweepMetrics metrics,
            SchedulerConfig config) {
        return new Sweeper(transactions, tiers, clock, metrics, config.batchSize(), config.maxBatchesPerSweep(),
                config.transientRetries(), config.topic());
    }
}
