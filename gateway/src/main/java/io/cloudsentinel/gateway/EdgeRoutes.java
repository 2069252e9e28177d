package io.cloudsentinel.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Every {@code /api/*} request: verify the bearer token, drop whatever {@code X-CS-*} headers (and the token) the
 * client sent, add the signed tenant context and a request id, and stream the request to the service that owns the
 * path (Vert.x's reverse proxy handles hop-by-hop headers). Failures answer problem+json.
 */
@ApplicationScoped
public class EdgeRoutes {

    private static final Logger LOG = Logger.getLogger(EdgeRoutes.class);
    static final String REQUEST_ID = "X-Request-Id";

    /** A route with its proxy, matched by path prefix. */
    record Upstream(String name, String prefix, Optional<HttpProxy> proxy) {
    }

    private final VerifiedTokens tokens;
    private final RateLimits rateLimits;
    private final ActivityReporter activity;
    private final SignedContextCodec contexts;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final List<Upstream> upstreams = new ArrayList<>();

    public EdgeRoutes(VerifiedTokens tokens, RateLimits rateLimits, ActivityReporter activity, SignedContextCodec contexts,
            GatewayConfig config, ObjectMapper json) {
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.activity = activity;
        this.contexts = contexts;
        this.config = config;
        this.json = json;
    }

    void init(@Observes Router router, Vertx vertx) {
        for (Map.Entry<String, GatewayConfig.Route> entry : config.routes().entrySet()) {
            Optional<HttpProxy> proxy = entry.getValue().url().filter(url -> !url.isBlank())
                    .map(url -> proxyTo(vertx, entry.getKey(), URI.create(url), entry.getValue()));
            for (String prefix : entry.getValue().prefixes()) {
                upstreams.add(new Upstream(entry.getKey(), prefix, proxy));
            }
        }
        upstreams.sort(Comparator.comparingInt((Upstream u) -> u.prefix().length()).reversed());
        router.route("/api/*").order(-10).handler(this::handle);
    }

    private HttpProxy proxyTo(Vertx vertx, String name, URI url, GatewayConfig.Route route) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(route.timeout().toMillis(), 5_000))
                .setKeepAlive(true)
                .setMaxPoolSize(200));
        SocketAddress origin = SocketAddress.inetSocketAddress(url.getPort(), url.getHost());
        // the idle timeout fails the call when the upstream sends nothing for that long: no headers, or a stalled body
        HttpProxy proxy = HttpProxy.reverseProxy(client).originRequestProvider((request, http) -> http.request(
                new RequestOptions().setServer(origin).setIdleTimeout(route.timeout().toMillis())));
        UpstreamGuard guard = new UpstreamGuard(name, route.breaker());
        proxy.addInterceptor(new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                Context caller = vertx.getOrCreateContext();
                Body body = context.request().getBody();
                if (body != null && body.length() < 0 && CappedBody.ofUnknownLength(context.request().proxiedRequest())) {
                    context.request().setBody(Body.body(new CappedBody(body.stream(), maxBodyBytes()), -1));
                }
                return Future.fromCompletionStage(guard.call(() -> context.sendRequest()
                        .recover(failure -> resendOnceIfSafe(context, client, origin, route, failure))
                        .toCompletionStage()), caller)
                        .recover(failure -> Future.succeededFuture(failed(context, name, url, failure, guard)));
            }
        });
        return proxy;
    }

    /**
     * A pooled connection the upstream had already closed fails the request before any answer ("stream reset",
     * "connection closed"). A GET or HEAD without a body is sent once more on a new request, as nginx's
     * {@code proxy_next_upstream error} does; anything else could have had an effect upstream and is not repeated.
     */
    private static Future<ProxyResponse> resendOnceIfSafe(ProxyContext context, HttpClient client,
            SocketAddress origin, GatewayConfig.Route route, Throwable failure) {
        ProxyRequest request = context.request();
        boolean idempotent = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD;
        boolean bodiless = request.getBody() == null || request.getBody().length() <= 0
                && request.proxiedRequest().getHeader("Transfer-Encoding") == null;
        boolean beforeAnswer = failure instanceof StreamResetException || failure instanceof HttpClosedException;
        if (!idempotent || !bodiless || !beforeAnswer) {
            return Future.failedFuture(failure);
        }
        LOG.debugf("resending %s %s after %s", request.getMethod(), request.getURI(), failure.getMessage());
        request.setBody(Body.body(Buffer.buffer()));
        return client.request(new RequestOptions().setServer(origin).setIdleTimeout(route.timeout().toMillis()))
                .compose(request::send);
    }

    /** The problem+json answer for a call that did not reach the upstream, timed out, or was not tried. */
    private ProxyResponse failed(ProxyContext context, String name, URI url, Throwable failure, UpstreamGuard guard) {
        while (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        Problem problem;
        ProxyResponse response = context.request().response();
        response.headers().clear();
        if (failure instanceof CappedBody.TooLarge) {
            response.putHeader("Connection", "close");
            problem = tooLarge();
        } else if (UpstreamGuard.isOpen(failure)) {
            long retryAfter = Math.max(1, guard.delay().toSeconds());
            response.putHeader("Retry-After", Long.toString(retryAfter));
            problem = Problem.of(ProblemTypes.of("upstream-circuit-open"), 503, "Service unavailable",
                    "the " + name + " service failed repeatedly; calls resume after a pause")
                    .with("retryAfterSeconds", retryAfter);
        } else if (failure instanceof TimeoutException) {
            LOG.warnf("upstream %s timed out: %s", url, failure.getMessage());
            problem = Problem.of(ProblemTypes.of("upstream-timeout"), 504, "Gateway timeout",
                    "the " + name + " service did not answer in time");
        } else {
            LOG.warnf("upstream %s unreachable: %s", url, failure.getMessage());
            problem = Problem.of(ProblemTypes.of("upstream-unavailable"), 503, "Service unavailable",
                    "the service behind this path does not answer");
        }
        response.setStatusCode(problem.status()).setStatusMessage(problem.title());
        response.putHeader("Content-Type", Problem.MEDIA_TYPE);
        response.setBody(Body.body(Buffer.buffer(problemJson(problem))));
        return response;
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String requestId = Optional.ofNullable(request.getHeader(REQUEST_ID)).filter(id -> id.length() <= 128)
                .orElseGet(() -> UUID.randomUUID().toString());
        Upstream upstream = ownerOf(request.path());
        if (upstream == null) {
            answer(ctx, requestId, Problem.of(ProblemTypes.NOT_FOUND, 404, "Not found", "no service owns this path"));
            return;
        }
        TenantContext caller;
        try {
            caller = tokens.caller(request.getHeader("Authorization"));
        } catch (ParseException | VerifiedTokens.MissingToken e) {
            LOG.debugf("token refused: %s", e.getMessage());
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            answer(ctx, requestId, Problem.of(ProblemTypes.of("unauthenticated"), 401, "Unauthenticated",
                    e instanceof VerifiedTokens.MissingToken ? "send a bearer token" : "the bearer token is not valid"));
            return;
        } catch (IllegalArgumentException e) {
            answer(ctx, requestId, Problem.of(ProblemTypes.FORBIDDEN, 403, "Forbidden",
                    "the token does not name a tenant"));
            return;
        }
        activity.seen(caller.tenant());
        RateLimits.Decision decision = rateLimits.take(caller);
        // On every answer, proxied or not: headers set before proxying stay on the service's response.
        ctx.response().putHeader("RateLimit-Limit", Long.toString(decision.limit()))
                .putHeader("RateLimit-Remaining", Long.toString(decision.remaining()))
                .putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            answer(ctx, requestId, Problem.of(ProblemTypes.of("rate-limited"), 429, "Too many requests",
                    "this tenant's request rate is above its limit; retry after " + decision.retryAfterSeconds()
                            + " s")
                    .with("retryAfterSeconds", decision.retryAfterSeconds()));
            return;
        }
        if (upstream.proxy().isEmpty()) {
            answer(ctx, requestId, Problem.of(ProblemTypes.of("service-not-deployed"), 503, "Service unavailable",
                    "the " + upstream.name() + " service is not deployed"));
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && declaredLength(length) > maxBodyBytes()) {
            ctx.response().putHeader("Connection", "close");
            answer(ctx, requestId, tooLarge());
            return;
        }
        // Nothing a client sends under X-CS- reaches a service, nor the token itself.
        List<String> smuggled = null; // usually none: no list, no copy of the header names
        for (Map.Entry<String, String> header : request.headers()) {
            if (ContextHeaders.isContextHeader(header.getKey())) {
                if (smuggled == null) {
                    smuggled = new ArrayList<>();
                }
                smuggled.add(header.getKey());
            }
        }
        if (smuggled != null) {
            smuggled.forEach(request.headers()::remove);
        }
        request.headers().remove("Authorization");
        contexts.sign(caller).forEach(request.headers()::set);
        request.headers().set(REQUEST_ID, requestId);
        ctx.response().putHeader(REQUEST_ID, requestId);
        upstream.proxy().get().handle(request);
    }

    private long maxBodyBytes() {
        return config.maxBodySize().asLongValue();
    }

    private Problem tooLarge() {
        return Problem.of(ProblemTypes.of("payload-too-large"), 413, "Payload too large",
                "request bodies are limited to " + maxBodyBytes() + " bytes").with("maxBytes", maxBodyBytes());
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // a length that is not a number is refused with the oversize ones
        }
    }

    /** The upstream with the longest prefix that owns the path, or null. */
    private Upstream ownerOf(String path) {
        for (Upstream upstream : upstreams) { // longest prefix first
            if (owns(upstream.prefix(), path)) {
                return upstream;
            }
        }
        return null;
    }

    private static boolean owns(String prefix, String path) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        if (path.length() == prefix.length()) {
            return true;
        }
        char next = path.charAt(prefix.length());
        return next == '/' || next == '?';
    }

    private void answer(RoutingContext ctx, String requestId, Problem problem) {
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(REQUEST_ID, requestId).end(problemJson(problem));
    }

    private String problemJson(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem always serializes", e);
        }
    }
}
