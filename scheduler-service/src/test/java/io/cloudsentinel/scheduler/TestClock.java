package io.cloudsentinel.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's clock in tests: real time shifted by an offset, or stopped, as a test sets it; tests reset it. */
public class TestClock extends Clock {

    private static volatile Duration offset = Duration.ZERO;
    private static volatile Instant frozen;

    /** Stops the clock at the instant: sweeps that run for a while still see one slot. */
    public static void freezeAt(Instant instant) {
        frozen = instant;
    }

    public static void shiftTo(Instant instant) {
        offset = Duration.between(Instant.now(), instant);
    }

    public static void shiftBy(Duration shift) {
        offset = offset.plus(shift);
    }

    public static void reset() {
        offset = Duration.ZERO;
        frozen = null;
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    static Clock clock() {
        return new TestClock();
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
