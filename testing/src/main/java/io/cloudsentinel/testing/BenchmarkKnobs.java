package io.cloudsentinel.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The environment variables a benchmark reads to vary a run ({@code CS_BENCH_*}): a variable set to a blank value
 * counts as not set, so {@code CS_BENCH_QUICK= ./bench.sh} is a full run in every benchmark.
 */
public final class BenchmarkKnobs {

    private BenchmarkKnobs() {
    }

    public static Optional<String> value(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }

    public static boolean isSet(String name) {
        return value(name).isPresent();
    }

    public static Duration seconds(String name, long orElse) {
        return Duration.ofSeconds(value(name).map(Long::parseLong).orElse(orElse));
    }

    /** A comma-separated list ({@code key=value,...}), empty when not set. */
    public static List<String> list(String name) {
        return value(name).map(value -> List.of(value.split(","))).orElse(List.of());
    }
}
