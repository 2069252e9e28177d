package io.cloudsentinel.gateway;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * Upstreams that misbehave on cue: the scheduler route points at a port whose server a test starts and stops, the
 * jobs route at a server that answers only after two seconds (its route times out after 300 ms).
 */
public class FaultyUpstreams extends EdgeTestResource {

    static final AtomicInteger HITS = new AtomicInteger();
    static final AtomicInteger DROPPER_HITS = new AtomicInteger();
    private static Vertx vertx;
    private static int flakyPort;
    private static HttpServer flaky;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try (ServerSocket probe = new ServerSocket(0)) {
            flakyPort = probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        vertx = Vertx.vertx();
        HttpServer slow = vertx.createHttpServer().requestHandler(request -> vertx.setTimer(2_000,
                id -> request.response().end("late")));
        int slowPort = await(slow.listen(0, "127.0.0.1")).actualPort();
        config.put("cs.gateway.routes.scheduler.url", "http://127.0.0.1:" + flakyPort);
        config.put("cs.gateway.routes.scheduler.breaker.request-volume", "4");
        config.put("cs.gateway.routes.scheduler.breaker.failure-ratio", "0.5");
        config.put("cs.gateway.routes.scheduler.breaker.delay", "1s");
        config.put("cs.gateway.routes.jobs.url", "http://127.0.0.1:" + slowPort);
        // drops the connection of every other request without answering, as a stale pooled connection does
        HttpServer dropper = vertx.createHttpServer().requestHandler(request -> {
            if (DROPPER_HITS.incrementAndGet() % 2 == 1) {
                request.connection().close();
            } else {
                request.body().onSuccess(body -> request.response().putHeader("Content-Type", "application/json")
                        .end("{\"answered\":true}"));
            }
        });
        config.put("cs.gateway.routes.crypto.url", "http://127.0.0.1:" + await(dropper.listen(0, "127.0.0.1"))
                .actualPort());
        config.put("cs.gateway.routes.crypto.breaker.request-volume", "1000");
        config.put("cs.gateway.routes.jobs.timeout", "300ms");
        config.put("cs.gateway.routes.jobs.breaker.request-volume", "1000");
        return config;
    }

    /** Brings the flaky upstream up; it counts the requests it gets. */
    static void flakyUp() {
        flaky = await(vertx.createHttpServer().requestHandler(request -> {
            HITS.incrementAndGet();
            request.response().putHeader("Content-Type", "application/json").end("{\"up\":true}");
        }).listen(flakyPort, "127.0.0.1"));
    }

    static void flakyDown() {
        if (flaky != null) {
            await(flaky.close());
            flaky = null;
        }
    }

    @Override
    public void stop() {
        super.stop();
        if (vertx != null) {
            vertx.close();
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
