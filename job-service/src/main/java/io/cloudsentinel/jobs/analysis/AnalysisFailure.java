package io.cloudsentinel.jobs.analysis;

import io.cloudsentinel.jobs.handler.FatalJobException;

/**
 * An analysis that no retry can mend: the job is dead at once with the reason code as its dead reason (and its
 * error starting with it)
 * ({@code budget_exceeded}, {@code invalid_model_output}, {@code provider_refused}, {@code destination_refused},
 * {@code budget_refused}, {@code key_refused}). Messages name figures and statuses, never a key or the model's text.
 */
public class AnalysisFailure extends FatalJobException {

    public static final String BUDGET_EXCEEDED = "budget_exceeded";
    public static final String BUDGET_REFUSED = "budget_refused";
    public static final String INVALID_MODEL_OUTPUT = "invalid_model_output";
    public static final String PROVIDER_REFUSED = "provider_refused";
    public static final String DESTINATION_REFUSED = "destination_refused";
    public static final String KEY_REFUSED = "key_refused";

    public AnalysisFailure(String reason, String detail) {
        super(reason, reason + ": " + detail, null);
    }
}
