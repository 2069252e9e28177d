package io.cloudsentinel.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;

/** Two services that publish their OpenAPI documents (with a schema name in common), and one that is down. */
public class OpenApiUpstreams extends EdgeTestResource {

    static final String BUDGET = """
            {"openapi":"3.1.0","info":{"title":"budget","version":"1"},
             "paths":{"/api/v1/budgets/me":{"get":{"responses":{"400":{"content":{"application/problem+json":
                        {"schema":{"$ref":"#/components/schemas/Problem"}}}}}}},
                      "/q/health":{"get":{}}},
             "components":{"schemas":{"Problem":{"type":"object","properties":{"title":{"type":"string"}}}}}}
            """;
    static final String SCHEDULER = """
            {"openapi":"3.1.0","info":{"title":"scheduler","version":"1"},
             "paths":{"/api/v1/schedules/me":{"get":{"responses":{"200":{"content":{"application/json":
                        {"schema":{"$ref":"#/components/schemas/Problem"}}}}}}}},
             "components":{"schemas":{"Problem":{"type":"object","properties":{"detail":{"type":"string"}}}}}}
            """;

    /** Documents the upstreams served, all of them together. */
    static final AtomicInteger FETCHES = new AtomicInteger();

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        vertx = Vertx.vertx();
        config.put("cs.gateway.routes.budget.url", "http://127.0.0.1:" + serve(BUDGET));
        config.put("cs.gateway.routes.scheduler.url", "http://127.0.0.1:" + serve(SCHEDULER));
        return config;
    }

    private int serve(String document) {
        try {
            return vertx.createHttpServer().requestHandler(request -> {
                if (!request.path().equals("/q/openapi")) {
                    request.response().putHeader("Content-Type", "application/json").end("{}");
                    return;
                }
                FETCHES.incrementAndGet();
                // slow enough that a burst of gateway requests overlaps one fetch
                vertx.setTimer(300, timer -> request.response().putHeader("Content-Type", "application/json")
                        .end(document));
            })
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .actualPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        super.stop();
        if (vertx != null) {
            vertx.close();
        }
    }
}
