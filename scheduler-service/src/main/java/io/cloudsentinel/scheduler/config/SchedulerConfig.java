package io.cloudsentinel.scheduler.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.scheduler.*}: sweep cadence, tiers and the job types each tier schedules. */
@ConfigMapping(prefix = "cs.scheduler")
public interface SchedulerConfig {

    /** Whether this replica sweeps (every replica may: due rows are claimed with SKIP LOCKED). */
    @WithDefault("true")
    boolean sweepEnabled();

    @WithDefault("5s")
    Duration sweepInterval();

    /** Schedules claimed per transaction. */
    @WithDefault("2500")
    int batchSize();

    /** Upper bound of batches in one sweep, so one sweep ends even while new rows keep coming due. */
    @WithDefault("200")
    int maxBatchesPerSweep();

    /** Attempts of one batch that lost a deadlock or serialization race before the sweep gives it up. */
    @WithDefault("8")
    int transientRetries();

    /** The topic emissions go to. */
    @WithDefault("${cs.topics.jobs-requested}")
    String topic();

    /** The shortest interval a tenant admin may set. */
    @WithDefault("15m")
    Duration minInterval();

    /** The longest interval a tenant admin may set. */
    @WithDefault("7d")
    Duration maxInterval();

    /** How long emissions are kept to guard against duplicates; far longer than any interval. */
    @WithDefault("14d")
    Duration emissionRetention();

    /** How often old emissions and manual runs are pruned. */
    @WithDefault("1m")
    Duration housekeepingInterval();

    /**
     * The job types a tenant admin may configure or run: those job-service has a handler for. A tier emits those its
     * own job-types name.
     */
    @WithDefault("finops_analysis,cost_ingestion,cost_anomaly_detection,zombie_scan")
    List<String> jobTypes();

    Tiers tiers();

    interface Tiers {

        @WithDefault("24h")
        Duration activeWithin();

        @WithDefault("7d")
        Duration normalWithin();

        TierSchedule active();

        TierSchedule normal();

        TierSchedule dormant();
    }

    interface TierSchedule {

        Duration every();

        /** The job types every tenant of the tier gets a schedule of; none when absent. */
        Optional<List<String>> jobTypes();
    }
}
