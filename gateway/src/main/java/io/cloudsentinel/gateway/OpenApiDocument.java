package io.cloudsentinel.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /openapi.json}: the whole public API in one document, merged from the deployed services' own documents
 * ({@code /q/openapi}) and kept for {@link #TTL}. A service that does not answer is left out and named in
 * {@code x-unavailable-services}; the next request after the TTL asks again. Swagger UI ({@code /q/swagger-ui}) shows it.
 */
@ApplicationScoped
public class OpenApiDocument {

    static final Duration TTL = Duration.ofSeconds(30);
    /** A document missing a deployed service is kept this long: asked for again soon, not by every request. */
    static final Duration PARTIAL_TTL = Duration.ofSeconds(5);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(3);

    private final GatewayConfig config;
    private final ObjectMapper json;
    private final UpstreamTls tls;
    private HttpClient client;
    private volatile Cached cached;
    /** The merge under way, which every request that finds no fresh document joins; guarded by this. */
    private Future<Merged> merging;

    private record Cached(Merged merged, long atNanos) {

        boolean fresh() {
            return System.nanoTime() - atNanos < (merged.complete() ? TTL : PARTIAL_TTL).toNanos();
        }
    }

    public OpenApiDocument(GatewayConfig config, ObjectMapper json, UpstreamTls tls) {
        this.config = config;
        this.json = json;
        this.tls = tls;
    }

    void init(@Observes Router router, Vertx vertx) {
        client = vertx.createHttpClient(tls.trusting(new HttpClientOptions()
                .setConnectTimeout((int) FETCH_TIMEOUT.toMillis())));
        router.get("/openapi.json").handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        Cached known = cached;
        if (known != null && known.fresh()) {
            send(ctx, known.merged().json());
            return;
        }
        merge().onSuccess(fresh -> send(ctx, fresh.json())).onFailure(ctx::fail);
    }

    /** One merge at a time: a burst of requests on a cold cache asks each service once, not once per request. */
    private synchronized Future<Merged> merge() {
        if (merging == null) {
            Future<Merged> started = merged();
            merging = started;
            started.onComplete(done -> merged(started, done.succeeded() ? done.result() : null));
        }
        return merging;
    }

    private synchronized void merged(Future<Merged> which, Merged result) {
        if (merging == which) {
            merging = null;
        }
        if (result != null) {
            cached = new Cached(result, System.nanoTime());
        }
    }

    /** Drops the kept document (tests). */
    void forget() {
        cached = null;
    }

    private static void send(RoutingContext ctx, String document) {
        ctx.response().putHeader("Content-Type", "application/json").end(document);
    }

    private record Merged(String json, boolean complete) {
    }

    private Future<Merged> merged() {
        Map<String, GatewayConfig.Route> deployed = new TreeMap<>();
        config.routes().forEach((name, route) -> {
            if (route.url().filter(url -> !url.isBlank()).isPresent()) {
                deployed.put(name, route);
            }
        });
        List<String> names = new ArrayList<>(deployed.keySet());
        List<Future<JsonNode>> fetches = names.stream()
                .map(name -> fetch(UpstreamOrigin.of(name, deployed.get(name).url().orElseThrow()))).toList();
        return Future.join(fetches).transform(ignored -> {
            List<OpenApiMerge.ServiceDocument> documents = new ArrayList<>();
            List<String> unavailable = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (fetches.get(i).succeeded()) {
                    documents.add(new OpenApiMerge.ServiceDocument(names.get(i), deployed.get(names.get(i))
                            .prefixes(), fetches.get(i).result()));
                } else {
                    unavailable.add(names.get(i));
                }
            }
            boolean complete = unavailable.isEmpty();
            config.routes().keySet().stream().filter(name -> !deployed.containsKey(name)).forEach(unavailable::add);
            try {
                return Future.succeededFuture(new Merged(json.writeValueAsString(OpenApiMerge.merge(documents,
                        unavailable)), complete));
            } catch (JsonProcessingException e) {
                return Future.failedFuture(e);
            }
        });
    }

    private Future<JsonNode> fetch(UpstreamOrigin origin) {
        return client.request(origin.request().setMethod(HttpMethod.GET).setURI("/q/openapi?format=json")
                .setIdleTimeout(FETCH_TIMEOUT.toMillis()))
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200 ? response.body()
                        : Future.failedFuture("status " + response.statusCode()))
                .map(this::parse);
    }

    private JsonNode parse(Buffer body) {
        try {
            return json.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not an OpenAPI document in JSON", e);
        }
    }

}
