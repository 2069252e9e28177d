package io.cloudsentinel.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs wrk (Debian's package; C and epoll, where java.net.http could not drive more than ~250 requests/s on two cores)
 * for the benchmarks and reads its figures. Benchmarks print results; nothing here asserts.
 */
public final class Wrk {

    /** What a run measured; NaN where wrk is missing or printed nothing to read. */
    public record Result(double requestsPerSecond, double p50Millis, double p99Millis, long non2xx, String output) {

        public boolean measured() {
            return !Double.isNaN(requestsPerSecond);
        }
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("50%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern P99 = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private Wrk() {
    }

    public static Optional<Path> binary() {
        return List.of("/usr/bin/wrk", "/usr/local/bin/wrk").stream().map(Path::of).filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * {@code wrk -t threads -c connections -d duration --latency -s script url} with the environment given (scripts
     * read their inputs from it); the output is printed under the name.
     */
    public static Result run(String name, int threads, int connections, Duration duration, Path script, String url,
            Map<String, String> environment) throws Exception {
        Optional<Path> wrk = binary();
        if (wrk.isEmpty()) {
            System.out.println(name + ": wrk is not installed (apt-get install wrk)");
            return new Result(Double.NaN, Double.NaN, Double.NaN, 0, "");
        }
        List<String> command = new ArrayList<>(List.of(wrk.get().toString(), "-t", Integer.toString(threads), "-c",
                Integer.toString(connections), "-d", duration.toSeconds() + "s", "--latency", "-s", script.toString(),
                url));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        System.out.println(name + "\n" + output);
        return parse(output);
    }

    static Result parse(String output) {
        Matcher rate = RATE.matcher(output);
        Matcher p50 = P50.matcher(output);
        Matcher p99 = P99.matcher(output);
        Matcher non2xx = NON_2XX.matcher(output);
        return new Result(rate.find() ? Double.parseDouble(rate.group(1)) : Double.NaN,
                p50.find() ? millis(p50) : Double.NaN, p99.find() ? millis(p99) : Double.NaN,
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, output);
    }

    private static double millis(Matcher matcher) {
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
