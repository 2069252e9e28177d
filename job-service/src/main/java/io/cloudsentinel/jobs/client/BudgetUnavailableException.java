package io.cloudsentinel.jobs.client;

/** budget-service could not be reached, failed (5xx) or did not answer in time: worth another try. */
public class BudgetUnavailableException extends RuntimeException {

    public BudgetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
