package io.cloudsentinel.testing;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * An HTTP load generator for benchmarks, on one Vert.x event loop: a <em>cycle</em> is a chain of requests where each
 * may depend on the answer before it (authorize, then settle the hold it got, as the same tenant). Two shapes:
 * <ul>
 * <li>{@link #closed}: a fixed number of cycles in flight, each starting again when it ends (saturation);</li>
 * <li>{@link #paced}: cycles start at a fixed rate whatever the answers do (open loop). A request's latency counts
 * from when its cycle was due, so a stall is charged to every request it delayed (no coordinated omission).</li>
 * </ul>
 * Every HTTP benchmark runs on it, so a benchmark needs only the JDK: wrk had to be installed from Debian (without it
 * the benchmarks printed NaN), cannot chain requests on more connections than it has threads (its Lua does not say
 * which connection an answer belongs to) and has no fixed rate; wrk2 is not packaged for Debian. Prints nothing,
 * asserts nothing: {@link NothingMeasured} refuses a run that got no answers.
 */
public final class HttpLoad implements AutoCloseable {

    /** One request; {@code body} is null for none. The headers go out as given (a POST names its content type). */
    public record Request(HttpMethod method, String path, Map<String, String> headers, String body) {

        public static Request get(String path, Map<String, String> headers) {
            return new Request(HttpMethod.GET, path, headers, null);
        }

        public static Request post(String path, Map<String, String> headers, String body) {
            return new Request(HttpMethod.POST, path, headers, body);
        }
    }

    public record Response(int status, String body) {
    }

    /** Sends the requests of one cycle, each recorded under its name. */
    public interface Exchange {
        Future<Response> send(String name, Request request);
    }

    /** What one request name measured: latency percentiles in milliseconds, answers that were not 2xx. */
    public record Latency(long count, double p50Millis, double p99Millis, double p999Millis, double maxMillis,
            long non2xx, long failures) {
        @Override
        public String toString() {
            return String.format("%d requests, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, non-2xx %d,"
                    + " failed %d", count, p50Millis, p99Millis, p999Millis, maxMillis, non2xx, failures);
        }
    }

    /** A run: completed cycles per second and the latency of each request name. */
    public record Result(double cyclesPerSecond, Map<String, Latency> latencies) {
        /** The figures of one request name; all NaN when no such request was sent (a chain that always stopped early). */
        public Latency of(String name) {
            return latencies.getOrDefault(name, new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0));
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(String.format("%.1f cycles/s", cyclesPerSecond));
            latencies.forEach((name, latency) -> text.append("; ").append(name).append(": ").append(latency));
            return text.toString();
        }
    }

    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final Vertx vertx;
    private final HttpClient client;

    public HttpLoad(String host, int port, int connections) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
                .setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connections)
                        .setMaxWaitQueueSize(-1));
    }

    /** {@code inFlight} cycles at all times for the duration. */
    public Result closed(int inFlight, Duration duration, Function<Exchange, Future<?>> cycle) {
        Run run = new Run();
        long end = System.nanoTime() + duration.toNanos();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicLong running = new AtomicLong(inFlight);
        vertx.runOnContext(ignored -> {
            for (int i = 0; i < inFlight; i++) {
                loop(run, cycle, end, running, done);
            }
        });
        done.join();
        return run.result(duration);
    }

    private void loop(Run run, Function<Exchange, Future<?>> cycle, long end, AtomicLong running,
            CompletableFuture<Void> done) {
        if (System.nanoTime() >= end) {
            if (running.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        long start = System.nanoTime();
        cycle.apply(run.exchange(start)).onComplete(outcome -> {
            run.cycleEnded();
            loop(run, cycle, end, running, done);
        });
    }

    /** Starts {@code cyclesPerSecond} cycles a second for the duration, then waits for the last to end. */
    public Result paced(double cyclesPerSecond, Duration duration, Function<Exchange, Future<?>> cycle) {
        Run run = new Run();
        long start = System.nanoTime();
        long total = (long) (cyclesPerSecond * duration.toNanos() / 1e9);
        double intervalNanos = 1e9 / cyclesPerSecond;
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicLong started = new AtomicLong();
        AtomicLong ended = new AtomicLong();
        // a 1 ms tick starts every cycle that has come due since the last one, each with the time it was due
        vertx.runOnContext(ignored -> vertx.setPeriodic(0, 1, timer -> {
            long due = Math.min(total, (long) ((System.nanoTime() - start) / intervalNanos) + 1);
            while (started.get() < due) {
                long dueAt = start + (long) (started.getAndIncrement() * intervalNanos);
                cycle.apply(run.exchange(dueAt)).onComplete(outcome -> {
                    run.cycleEnded();
                    if (ended.incrementAndGet() == total) {
                        done.complete(null);
                    }
                });
            }
            if (started.get() == total) {
                vertx.cancelTimer(timer);
            }
        }));
        done.join();
        return run.result(Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Histograms and counters of one run; touched only on the event loop, read after it ended. */
    private final class Run {
        private final Map<String, Histogram> histograms = new TreeMap<>();
        private final Map<String, long[]> errors = new TreeMap<>();
        private long cycles;

        Exchange exchange(long dueAt) {
            // the first request of a cycle counts from when the cycle was due, the next ones from their own start
            long[] since = { dueAt };
            return (name, request) -> {
                long from = since[0];
                // a server that stops answering fails its requests after the histogram's range, instead of holding
                // the run (which waits for its last cycle) forever
                RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.path())
                        .setIdleTimeout(TimeUnit.MICROSECONDS.toMillis(MAX_MICROS));
                request.headers().forEach(options::putHeader);
                return client.request(options)
                        .compose(http -> request.body() == null ? http.send() : http.send(request.body()))
                        .compose(response -> response.body().map(body -> new Response(response.statusCode(),
                                body.toString())))
                        .andThen(outcome -> {
                            long now = System.nanoTime();
                            since[0] = now;
                            histograms.computeIfAbsent(name, ignored -> new Histogram(MAX_MICROS, 3))
                                    .recordValue(Math.min(MAX_MICROS, TimeUnit.NANOSECONDS.toMicros(now - from)));
                            long[] counted = errors.computeIfAbsent(name, ignored -> new long[2]);
                            if (outcome.failed()) {
                                counted[1]++;
                            } else if (outcome.result().status() / 100 != 2) {
                                counted[0]++;
                            }
                        });
            };
        }

        void cycleEnded() {
            cycles++;
        }

        Result result(Duration elapsed) {
            Map<String, Latency> latencies = new TreeMap<>();
            for (Map.Entry<String, Histogram> named : histograms.entrySet()) {
                Histogram histogram = named.getValue();
                long[] counted = errors.get(named.getKey());
                latencies.put(named.getKey(), new Latency(histogram.getTotalCount(), millis(histogram, 50),
                        millis(histogram, 99), millis(histogram, 99.9), histogram.getMaxValue() / 1000.0, counted[0],
                        counted[1]));
            }
            return new Result(cycles / (elapsed.toNanos() / 1e9), latencies);
        }

        private double millis(Histogram histogram, double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1000.0;
        }
    }
}
