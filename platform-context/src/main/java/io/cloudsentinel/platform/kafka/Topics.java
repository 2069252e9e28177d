package io.cloudsentinel.platform.kafka;

import java.util.List;
import java.util.Map;

/**
 * The suite's topics (key = tenant id), named here and nowhere else: services read them as configuration
 * ({@code cs.topics.*}, defaults from {@link TopicDefaults}), the bootstrap tool creates {@link #ALL}.
 */
public final class Topics {

    public static final String JOBS_REQUESTED = "jobs.requested";
    public static final String JOBS_EVENTS = "jobs.events";
    public static final String JOBS_DLQ = "jobs.dlq";
    public static final String TENANTS_ACTIVITY = "tenants.activity";
    public static final String BUDGET_ALERTS = "budget.alerts";

    public static final List<String> ALL = List.of(JOBS_REQUESTED, JOBS_EVENTS, JOBS_DLQ, TENANTS_ACTIVITY,
            BUDGET_ALERTS);

    /** The configuration keys that name them, e.g. {@code cs.topics.jobs-requested}. */
    public static final Map<String, String> CONFIG_KEYS = Map.of(
            "cs.topics.jobs-requested", JOBS_REQUESTED,
            "cs.topics.jobs-events", JOBS_EVENTS,
            "cs.topics.jobs-dlq", JOBS_DLQ,
            "cs.topics.tenants-activity", TENANTS_ACTIVITY,
            "cs.topics.budget-alerts", BUDGET_ALERTS);

    private Topics() {
    }
}
