package io.cloudsentinel.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's surroundings in tests: an upstream that echoes what it received, and a route to a port where nothing
 * listens. Tokens are signed with the in-memory key pair SmallRye JWT makes for tests.
 */
public class EdgeTestResource implements QuarkusTestResourceLifecycleManager {

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        try {
            vertx = Vertx.vertx();
            HttpServer echo = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                JsonObject headers = new JsonObject();
                request.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
                request.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("method", request.method().name()).put("path", request.uri())
                                .put("headers", headers).put("body", body.toString()).encode());
            }));
            int port = echo.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .actualPort();

            Map<String, String> config = new HashMap<>();
            config.put("cs.gateway.routes.budget.url", "http://127.0.0.1:" + port);
            config.put("cs.gateway.routes.crypto.url", "http://127.0.0.1:1");
            config.put("cs.gateway.routes.jobs.url", "");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("gateway test surroundings did not start", e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
