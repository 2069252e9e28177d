package io.cloudsentinel.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/** One append-only change to a tenant's counters; the counters are the fold of these deltas. */
public record LedgerEntry(long id, Type type, Optional<UUID> holdId, LocalDate monthStart, Optional<LocalDate> dayStart,
        long reservedDeltaMicros, long spentDeltaMicros, Instant at) {

    public enum Type {
        HOLD,
        SETTLE,
        RELEASE,
        EXPIRE,
        ADJUST
    }
}
