package io.cloudsentinel.testing;

import java.util.Map;

/**
 * A benchmark round that measured nothing: no request answered with a 2xx, no transaction completed, or a figure that
 * came out NaN or infinite. Benchmarks assert nothing about their figures, but a table of NaN or of an error path
 * (every request refused, every transaction rolled back) is not a measurement; printed and exited 0, it passes for
 * one. So the round throws, the build fails and the bench script exits non-zero with this message.
 */
public final class NothingMeasured extends IllegalStateException {

    private NothingMeasured(String round, String why) {
        super("benchmark round '" + round + "' measured nothing: " + why);
    }

    /**
     * Every named request of the run got at least one 2xx answer. Failed requests (refused, reset, timed out) are
     * timed too, so a histogram with entries is not enough: a run against a dead port fills it in microseconds.
     */
    public static HttpLoad.Result requireAnswers(String round, HttpLoad.Result result, String... requests) {
        if (result.latencies().isEmpty()) {
            throw new NothingMeasured(round, "no request was sent");
        }
        for (String request : requests) {
            HttpLoad.Latency latency = result.of(request);
            long answered = latency.count() - latency.non2xx() - latency.failures();
            if (answered <= 0) {
                throw new NothingMeasured(round, String.format("'%s' got no 2xx answer (%d sent, %d non-2xx,"
                        + " %d failed without an answer)", request, latency.count(), latency.non2xx(),
                        latency.failures()));
            }
        }
        return result;
    }

    /** At least one unit of work (a transaction, a pair) completed; {@code detail} says what went wrong otherwise. */
    public static long requireCompleted(String round, long completed, String detail) {
        if (completed <= 0) {
            throw new NothingMeasured(round, "0 completed" + (detail.isBlank() ? "" : " (" + detail + ")"));
        }
        return completed;
    }

    /** Every figure by its name is a finite number: NaN is what a division by nothing measured prints. */
    public static void requireFinite(String round, Map<String, Double> figures) {
        figures.forEach((name, value) -> {
            if (value == null || !Double.isFinite(value)) {
                throw new NothingMeasured(round, name + " is " + value);
            }
        });
    }
}
