package io.cloudsentinel.budget;

/** HARD denies a call that would exceed a limit; SOFT allows it and alerts. */
public enum BudgetMode {
    HARD,
    SOFT
}
