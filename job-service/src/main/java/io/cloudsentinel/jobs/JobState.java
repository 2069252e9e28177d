package io.cloudsentinel.jobs;

/**
 * Where a job is. PENDING → RUNNING → COMPLETED, or RETRY_SCHEDULED → RUNNING …, or DEAD_LETTER, or CANCELLED; every
 * transition is one conditional update in store/.
 */
public enum JobState {
    PENDING,
    RUNNING,
    COMPLETED,
    RETRY_SCHEDULED,
    DEAD_LETTER,
    CANCELLED;

    public boolean finished() {
        return this == COMPLETED || this == DEAD_LETTER || this == CANCELLED;
    }
}
