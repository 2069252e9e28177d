package io.cloudsentinel.jobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.jobs.costs.idle.*}: what {@code zombie_scan} calls an idle resource. */
@ConfigMapping(prefix = "cs.jobs.costs.idle")
public interface IdleResourceConfig {

    /** The days a resource must have been billed, each of them without consumed quantity. */
    @WithDefault("14")
    int days();
}
