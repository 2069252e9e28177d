package io.cloudsentinel.budget;

/** A budget window: the tenant's month (always) and day (when a daily limit is set), in the tenant's zone. */
public enum Window {
    MONTH,
    DAY
}
