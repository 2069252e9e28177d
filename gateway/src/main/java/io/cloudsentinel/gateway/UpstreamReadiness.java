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
 * Readiness reports whether each deployed upstream answers on its HTTP port. The services' own health endpoints sit on
 * their management interface, which only monitoring may reach; what the gateway can see is whether its route leads
 * anywhere: an upstream is {@code UP} when it answers at all with a status below 500 (in Kubernetes its Service sends
 * the request only to ready pods, so an answer means one is ready), and {@code DOWN} on a refused connection, a
 * timeout, a TLS failure or a 5xx. The gateway stays ready while at least one upstream is up: it still serves those
 * routes and answers the others with 503 problems, and taking every replica out of the load balancer because one
 * service is down would turn a partial outage into a full one. It is DOWN only when no upstream answers. Liveness never
 * looks at upstreams, so an upstream outage never restarts the gateway.
 */
@Readiness
@ApplicationScoped
public class UpstreamReadiness implements AsyncHealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Any path does: a service answers an unknown one with 404, and no route is needed. */
    private static final String PROBE_PATH = "/";

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
        return client.request(origin.request().setMethod(HttpMethod.HEAD).setURI(PROBE_PATH)
                .setIdleTimeout(PROBE_TIMEOUT.toMillis()))
                .compose(request -> request.send())
                .map(response -> response.statusCode() < 500 ? "UP" : "DOWN (status " + response.statusCode() + ")");
    }
}
