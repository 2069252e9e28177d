package io.cloudsentinel.scheduler;

import java.time.Clock;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cloudsentinel.testing.MovableClock;

/** The service's clock in tests (see {@link MovableClock}); tests move it with the static methods. */
public class TestClock extends MovableClock {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    static Clock clock() {
        return new TestClock();
    }
}
