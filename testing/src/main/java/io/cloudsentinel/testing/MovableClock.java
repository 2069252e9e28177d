package io.cloudsentinel.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A service's clock in tests: real time shifted by an offset, or stopped, as a test sets it; tests reset it. Each
 * service's test sources produce it as the CDI alternative to the real clock (a producer here would not be found).
 */
public class MovableClock extends Clock {

    private static volatile Duration offset = Duration.ZERO;
    private static volatile Instant frozen;

    public static void shiftTo(Instant instant) {
        offset = Duration.between(Instant.now(), instant);
    }

    public static void shiftBy(Duration shift) {
        offset = offset.plus(shift);
    }

    /** Stops the clock at the instant: work that runs for a while still sees that one instant. */
    public static void freezeAt(Instant instant) {
        frozen = instant;
    }

    public static void reset() {
        offset = Duration.ZERO;
        frozen = null;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        Instant stopped = frozen;
        return stopped != null ? stopped : Instant.now().plus(offset);
    }
}
