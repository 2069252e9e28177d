package io.cloudsentinel.jobs.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;

/** {@code cs.jobs.*}: the workers, the shares, ingestion and each job type's own settings. */
@ConfigMapping(prefix = "cs.jobs")
public interface JobsConfig {

    Worker worker();

    Ingestion ingestion();

    /** Per job type, {@code cs.jobs.types.<type>.*}; a type with no entry has the defaults of {@link JobTypeConfig}. */
    @WithDefaults
    Map<String, JobTypeConfig> types();

    /** A tenant's cap per job type when platform admins gave it none. */
    @WithDefault("4")
    int defaultCap();

    /** How long finished jobs (and so their dedup keys) are kept. */
    @WithDefault("7d")
    Duration retention();

    /** How often finished jobs past the retention are pruned (a batch of 10,000 a pass). */
    @WithDefault("1m")
    Duration housekeepingInterval();

    /** Where a job's state changes go. */
    @WithDefault("${cs.topics.jobs-events}")
    String eventsTopic();

    /** Where dead jobs and invalid requests go. */
    @WithDefault("${cs.topics.jobs-dlq}")
    String dlqTopic();

    interface Worker {

        /** Whether this replica claims and runs jobs. */
        @WithDefault("true")
        boolean enabled();

        /** Jobs this replica runs at once. */
        @WithDefault("32")
        int slots();

        /**
         * Pause between claims while nothing is due (a finished job, or a job stored by this replica, claims again
         * at once).
         */
        @WithDefault("250ms")
        Duration pollInterval();

        /**
         * Jobs one claim takes at most. Each claimed job's timeout counts from the start of its claim, so a smaller
         * claim starts its jobs sooner, but every claim weighs all waiting tenants, so a larger one costs less per
         * job; free slots beyond it are filled by the next claim at once. (Only replicas with more slots than this
         * feel it.)
         */
        @WithDefault("300")
        int claimBatch();

        /** Added to a type's timeout for its lease: the time a worker has to report the end of an attempt. */
        @WithDefault("10s")
        Duration leaseGrace();

        /** How often running jobs' leases are extended and cancellations looked up. */
        @WithDefault("2s")
        Duration heartbeatInterval();

        /** How often expired leases are looked for. */
        @WithDefault("5s")
        Duration rescueInterval();

        /** Threads for blocking handlers; each one a stuck handler holds is not given back. */
        @WithDefault("16")
        int blockingThreads();

        /** How long an interrupted blocking handler has to end before it counts as stuck. */
        @WithDefault("2s")
        Duration interruptGrace();

        /** On shutdown, how long running jobs may finish before they are released to other replicas. */
        @WithDefault("20s")
        Duration shutdownDeadline();

        /** A name for this replica in leases and attempts; the host name when absent. */
        Optional<String> name();
    }

    interface Ingestion {

        /** The job types producers may request through Kafka. */
        @WithDefault("noop,finops_analysis,cost_ingestion,cost_anomaly_detection,zombie_scan")
        Set<String> kafkaTypes();

        /** The job types tenants may request through the API. */
        @WithDefault("noop,finops_analysis,cost_ingestion,cost_anomaly_detection,zombie_scan")
        Set<String> apiTypes();

        /** The largest request accepted, in bytes of its JSON. */
        @WithDefault("65536")
        int maxRecordBytes();
    }

    /** A job type's own settings. */
    interface JobTypeConfig {

        @WithDefault("30s")
        Duration timeout();

        @WithDefault("5")
        int maxAttempts();

        @WithDefault("1s")
        Duration backoffBase();

        @WithDefault("5m")
        Duration backoffCap();

        /** Whether an attempt that may have run (a lost lease, a timeout) is retried automatically. */
        @WithDefault("true")
        boolean idempotent();

        /** Slots of this replica the type may hold at once (all of them when absent). */
        Optional<Integer> concurrency();
    }
}
