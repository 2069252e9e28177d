package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** The load generator against a local server that answers after a fixed delay. */
class HttpLoadTest {

    private static final long SERVICE_MILLIS = 20;

    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger mostInFlight = new AtomicInteger();

    @BeforeAll
    static void startServer() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            vertx.setTimer(SERVICE_MILLIS, ignored -> {
                inFlight.decrementAndGet();
                request.response().setStatusCode(request.path().equals("/missing") ? 404 : 200)
                        .end("{\"next\":\"/second\"}");
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stopServer() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aClosedRunKeepsTheGivenNumberOfChainsInFlightAndChainsOnTheAnswer() {
        mostInFlight.set(0);
        try (HttpLoad load = new HttpLoad("127.0.0.1", server.actualPort(), 8)) {
            HttpLoad.Result result = load.closed(4, Duration.ofSeconds(1), exchange -> exchange
                    .send("first", get("/first"))
                    .compose(answer -> exchange.send("second", get(answer.body().contains("/second") ? "/second"
                            : "/missing"))));

            // 4 chains of two 20 ms requests: about 4 × 1000 / 40 = 100 chains a second, never more than 4 at once
            assertThat(mostInFlight.get()).isEqualTo(4);
            assertThat(result.cyclesPerSecond()).isBetween(60.0, 110.0);
            assertThat(result.of("first").count()).isEqualTo(result.of("second").count());
            assertThat(result.of("second").non2xx()).isZero();
            assertThat(result.of("first").p50Millis()).isGreaterThanOrEqualTo(SERVICE_MILLIS);
        }
    }

    @Test
    void aPacedRunCountsLatencyFromWhenARequestWasDueNotFromWhenItWasSent() {
        try (HttpLoad load = new HttpLoad("127.0.0.1", server.actualPort(), 8)) {
            // 8 connections serve 400 requests a second, 100 are due: no queueing, except that the generator itself
            // stalls 300 ms at the first request (as a GC pause would); the ~30 requests due meanwhile leave late
            AtomicInteger started = new AtomicInteger();
            HttpLoad.Result result = load.paced(100, Duration.ofSeconds(1), exchange -> {
                if (started.incrementAndGet() == 1) {
                    sleep(300);
                }
                return exchange.send("only", get("/only"));
            });

            assertThat(result.of("only").count()).isEqualTo(100);
            // timed from the send, every request would take ~20 ms
            assertThat(result.of("only").p50Millis()).isLessThan(100);
            assertThat(result.of("only").p99Millis()).isGreaterThan(250);
        }
    }

    @Test
    void answersThatAreNotSuccessesAreCounted() {
        try (HttpLoad load = new HttpLoad("127.0.0.1", server.actualPort(), 2)) {
            HttpLoad.Result result = load.paced(20, Duration.ofMillis(500), exchange -> exchange.send("missing",
                    get("/missing")));

            assertThat(result.of("missing").count()).isEqualTo(10);
            assertThat(result.of("missing").non2xx()).isEqualTo(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpLoad.Request get(String path) {
        return HttpLoad.Request.get(path, Map.of());
    }
}
