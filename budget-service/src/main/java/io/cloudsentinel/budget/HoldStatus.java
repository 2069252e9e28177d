package io.cloudsentinel.budget;

public enum HoldStatus {
    HELD,
    SETTLED,
    RELEASED,
    EXPIRED
}
