package io.cloudsentinel.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;

/**
 * Readiness reports whether each deployed upstream answers its own readiness probe. The gateway stays ready while at
 * least one does: it still serves those routes and answers the others with 503 problems, and taking every replica out
 * of the load balancer because one service is down would turn a partial outage into a full one. It is DOWN only when
 * no upstream answers. Liveness never looks at upstreams, so an upstream outage never restarts the gateway.
 */
@Readiness
@ApplicationScoped
public class UpstreamReadiness implements AsyncHealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final GatewayConfig config;
    private final HttpClient client;

    public UpstreamReadiness(GatewayConfig config, Vertx vertx, UpstreamTls tls) {
        this.config = config;
        this.client = vertx.createHttpClient(tls.trusting(new HttpClientOptions()
                .setConnectTimeout((int) PROBE_TIMEOUT.toMillis()).setKeepAlive(false)));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        Map<String, String> urls = new TreeMap<>();
        config.routes().forEach((name, route) -> route.url().filter(url -> !url.isBlank())
                .ifPresent(url -> urls.put(name, url)));
        List<Future<String>> probes = new ArrayList<>();
        List<String> names = new ArrayList<>(urls.keySet());
        for (String name : names) {
            probes.add(probe(UpstreamOrigin.of(name, urls.get(name))));
        }
        return Uni.createFrom().completionStage(Future.join(probes).toCompletionStage())
                .onFailure().recoverWithNull()
                .map(ignored -> {
                    HealthCheckResponseBuilder response = HealthCheckResponse.named("upstreams");
                    int reachable = 0;
                    for (int i = 0; i < names.size(); i++) {
                        Future<String> probe = probes.get(i);
                        String state = probe.succeeded() ? probe.result() : "DOWN (" + probe.cause().getMessage() + ")";
                        if ("UP".equals(state)) {
                            reachable++;
                        }
                        response.withData(names.get(i), state);
                    }
                    config.routes().forEach((name, route) -> {
                        if (route.url().filter(url -> !url.isBlank()).isEmpty()) {
                            response.withData(name, "not deployed");
                        }
                    });
                    return response.status(names.isEmpty() || reachable > 0).build();
                });
    }

    private Future<String> probe(UpstreamOrigin origin) {
        return client.request(origin.request().setMethod(HttpMethod.GET).setURI("/q/health/ready")
                .setIdleTimeout(PROBE_TIMEOUT.toMillis()))
                .compose(request -> request.send())
                .map(response -> response.statusCode() == 200 ? "UP" : "DOWN (status " + response.statusCode() + ")");
    }
}
