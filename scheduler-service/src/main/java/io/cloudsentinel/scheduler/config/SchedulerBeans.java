package io.cloudsentinel.scheduler.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cloudsentinel.scheduler.TierPolicy;

/**
 * The tiers as configured, as a bean. Configuration only: the services (the sweeper among them) are beans of their
 * own in service/, so nothing here points back up at them.
 */
public class SchedulerBeans {

    @Produces
    @Singleton
    TierPolicy tierPolicy(SchedulerConfig config) {
        return TierPolicy.of(config);
    }
}
