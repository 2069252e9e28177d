package io.cloudsentinel.budget.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.budget.*} */
@ConfigMapping(prefix = "cs.budget")
public interface BudgetConfig {

    /** How long a hold reserves budget before the reaper frees it. */
    @WithDefault("10m")
    Duration holdTtl();

    /** How often the reaper looks for expired holds. */
    @WithDefault("5s")
    Duration reaperInterval();

    /** Holds expired per reaper statement. */
    @WithDefault("500")
    int reaperBatch();

    /**
     * Batches one reaper run expires at most (20 x 500 holds by default); a larger backlog is left to the next run,
     * so a run stays short and its chain of batches bounded.
     */
    @WithDefault("20")
    int reaperMaxBatchesPerRun();

    /** The monthly limit of a tenant that has no budget yet: 0 denies everything until an admin sets one. */
    @WithDefault("0")
    long defaultMonthlyLimitMicros();

    /** Larger token counts are refused as absurd (400), not priced. */
    @WithDefault("2000000")
    long maxInputTokens();

    @WithDefault("1000000")
    long maxOutputTokens();

    /** Where tenants' LLM base URLs may point ({@code cs.budget.llm.*}). */
    Llm llm();

    interface Llm {

        /** Private, loopback and plain-http base URLs: refused unless set (dev and tests set it). */
        @WithDefault("false")
        boolean allowPrivate();

        /**
         * Host names (exact, case-insensitive) or CIDR blocks the operator allows although they are private: the
         * self-hosted models of a deployment.
         */
        Optional<List<String>> allowedHosts();
    }
}
