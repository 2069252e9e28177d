package io.cloudsentinel.jobs.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.jobs.analysis.*}: the {@code finops_analysis} handler's model call, its bounds and the platform's key. */
@ConfigMapping(prefix = "cs.jobs.analysis")
public interface AnalysisConfig {

    /** The model a tenant without LLM settings of its own is analysed with, on the platform's key. */
    Platform platform();

    /** The prompt's input-token bound: the lowest-spend lines are cut until the estimate fits. */
    @WithDefault("6000")
    int maxInputTokens();

    /** The output tokens reserved in the budget and sent as {@code max_tokens}. */
    @WithDefault("1500")
    int maxOutputTokens();

    /** The model call's own deadline; below the type's timeout, checked at start. */
    @WithDefault("90s")
    Duration modelTimeout();

    /**
     * How often settlements budget-service could not take are sent again (service/PendingSettlementRetry); a failed
     * retry waits this long, doubling, at most ten minutes.
     */
    @WithDefault("30s")
    Duration settlementRetryInterval();

    /** Whether a tenant's base URL may be plain http or a private, loopback or link-local address (dev, tests). */
    @WithDefault("false")
    boolean allowPrivate();

    /** Host names or CIDR blocks an operator allows although private (self-hosted models). */
    Optional<List<String>> allowedHosts();

    interface Platform {

        /** Recorded as the analysis's provider. */
        @WithDefault("openai")
        String provider();

        /** Operator-configured, so allowed although it may be private. */
        @WithDefault("https://api.openai.com")
        String baseUrl();

        @WithDefault("gpt-4o-mini")
        String model();

        /** {@code CS_LLM_API_KEY}; without it, tenants with no key of their own are skipped. */
        Optional<String> apiKey();
    }
}
