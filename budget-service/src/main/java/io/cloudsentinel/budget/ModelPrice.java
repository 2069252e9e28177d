package io.cloudsentinel.budget;

import java.time.Instant;

/** One version of a model's price, in micro-USD per million tokens. */
public record ModelPrice(String model, int version, String provider, long inputMicrosPerMillion,
        long outputMicrosPerMillion, Instant effectiveFrom) {

    private static final long MILLION = 1_000_000L;

    /**
     * The cost of the tokens, rounded up to the next micro-USD so that an estimate never undercounts. Computed in one
     * division over exact products; overflow is refused, not wrapped.
     */
    public long costMicros(long inputTokens, long outputTokens) {
        long numerator = Math.addExact(Math.multiplyExact(inputTokens, inputMicrosPerMillion),
                Math.multiplyExact(outputTokens, outputMicrosPerMillion));
        return Math.floorDiv(numerator + MILLION - 1, MILLION);
    }
}
