package io.cloudsentinel.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Budget reserved for one LLM call until it is settled with the real cost, released, or expired. It keeps the price
 * version it was estimated with and the periods it reserved in, so settling and freeing touch the same windows.
 */
public record Hold(UUID id, String idempotencyKey, String model, int priceVersion, long inputTokens,
        long maxOutputTokens, long estimateMicros, LocalDate monthStart, Optional<LocalDate> dayStart,
        HoldStatus status, Instant expiresAt, Optional<Settlement> settlement) {

    /** What settling charged. */
    public record Settlement(long inputTokens, long outputTokens, long costMicros, long releasedMicros,
            Instant settledAt) {
    }

    public List<Window> windows() {
        return dayStart.isPresent() ? List.of(Window.MONTH, Window.DAY) : List.of(Window.MONTH);
    }

    /** Whether a request with the same idempotency key asks for the same thing. */
    public boolean sameRequest(String otherModel, long otherInputTokens, long otherMaxOutputTokens) {
        return model.equals(otherModel) && inputTokens == otherInputTokens && maxOutputTokens == otherMaxOutputTokens;
    }
}
