package io.cloudsentinel.jobs.client;

/**
 * budget-service answered the request with a 4xx: no retry changes that. {@code 402} is a budget too small for the
 * call's worst case; the message carries the problem's detail (budget figures, never a secret).
 */
public class BudgetRefusedException extends RuntimeException {

    private final int status;

    public BudgetRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean budgetExceeded() {
        return status == 402;
    }
}
