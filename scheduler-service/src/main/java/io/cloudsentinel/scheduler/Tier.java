package io.cloudsentinel.scheduler;

/** How often a tenant's work runs follows how recently it was active, not what it pays for. */
public enum Tier {
    ACTIVE,
    NORMAL,
    DORMANT
}
