package io.cloudsentinel.budget;

import java.time.LocalDate;

/** The counters of one window period: what is spent and what is reserved by open holds. */
public record WindowState(Window window, LocalDate periodStart, long spentMicros, long reservedMicros) {

    public static WindowState empty(Window window, LocalDate periodStart) {
        return new WindowState(window, periodStart, 0, 0);
    }

    public long remaining(long limitMicros) {
        return Math.max(0, limitMicros - spentMicros - reservedMicros);
    }
}
