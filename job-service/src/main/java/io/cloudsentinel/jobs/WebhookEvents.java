package io.cloudsentinel.jobs;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** The event types a tenant's webhook can subscribe to (job-service/README.md lists what each one carries). */
public final class WebhookEvents {

    public static final String ANALYSIS_COMPLETED = "analysis.completed";
    public static final String JOB_DEAD_LETTERED = "job.dead_lettered";
    public static final String BUDGET_THRESHOLD_CROSSED = "budget.threshold_crossed";
    public static final String BUDGET_EXHAUSTED = "budget.exhausted";
    public static final String COST_ANOMALY_DETECTED = "cost.anomaly_detected";

    /** In name order, as problems list them. */
    public static final SortedSet<String> KNOWN = Collections.unmodifiableSortedSet(new TreeSet<>(List.of(
            ANALYSIS_COMPLETED, JOB_DEAD_LETTERED, BUDGET_THRESHOLD_CROSSED, BUDGET_EXHAUSTED, COST_ANOMALY_DETECTED)));

    private WebhookEvents() {
    }

    public static boolean known(String type) {
        return KNOWN.contains(type);
    }
}
