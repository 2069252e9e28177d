package io.cloudsentinel.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.context.ContentDigest;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.context.SignedRequest;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.StreamResetException;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The route table: which service owns a path (longest prefix first), and the reverse proxy to each, with its timeout,
 * circuit breaker, one resend of a safe request on a dropped pooled connection, and problem+json when the call fails.
 */
@ApplicationScoped
public class UpstreamRoutes {

    private static final Logger LOG = Logger.getLogger(UpstreamRoutes.class);

    /** A route with its proxy (empty when the service is not deployed), matched by path prefix. */
    record Upstream(String name, String prefix, Optional<HttpProxy> proxy, boolean streamed, long maxBodyBytes) {
    }

    private final GatewayConfig config;
    private final GatewayProblems problems;
    private final SignedContextCodec contexts;
    private final UpstreamTls tls;
    private final List<Upstream> upstreams = new ArrayList<>();

    public UpstreamRoutes(GatewayConfig config, GatewayProblems problems, SignedContextCodec contexts,
            UpstreamTls tls) {
        this.config = config;
        this.problems = problems;
        this.contexts = contexts;
        this.tls = tls;
    }

    /** Builds the proxies once the HTTP server's Vert.x is there. */
    void build(Vertx vertx) {
        for (Map.Entry<String, GatewayConfig.Route> entry : config.routes().entrySet()) {
            Optional<HttpProxy> proxy = entry.getValue().url().filter(url -> !url.isBlank())
                    .map(url -> proxyTo(vertx, entry.getKey(), url, entry.getValue()));
            for (String prefix : entry.getValue().prefixes()) {
                upstreams.add(new Upstream(entry.getKey(), prefix, proxy, entry.getValue().streamedBody(),
                        bodyLimit(entry.getValue())));
            }
        }
        upstreams.sort(Comparator.comparingInt((Upstream u) -> u.prefix().length()).reversed());
    }

    /** The upstream with the longest prefix that owns the path, or null. */
    Upstream ownerOf(String path) {
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

    private HttpProxy proxyTo(Vertx vertx, String name, String url, GatewayConfig.Route route) {
        UpstreamOrigin origin = UpstreamOrigin.of(name, url);
        HttpClient client = vertx.createHttpClient(tls.trusting(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(route.timeout().toMillis(), 5_000))
                .setKeepAlive(true)
                .setMaxPoolSize(200)));
        // the idle timeout fails the call when the upstream sends nothing for that long: no headers, or a stalled body
        HttpProxy proxy = HttpProxy.reverseProxy(client).originRequestProvider((request, http) -> http.request(
                origin.request().setIdleTimeout(route.timeout().toMillis())));
        UpstreamGuard guard = new UpstreamGuard(name, route.breaker());
        proxy.addInterceptor(new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                Context caller = vertx.getOrCreateContext();
                TenantContext tenant = ForwardedCaller.get();
                io.opentelemetry.context.Context trace = UpstreamTraceContext.current();
                long limit = bodyLimit(route);
                Future<String> digested = route.streamedBody() ? streamedBody(context.request(), limit)
                        : bufferedBody(context.request(), limit).map(body -> body == null ? ""
                                : ContentDigest.of(body.getBytes()));
                return digested
                        .compose(digest -> {
                            sign(context.request(), tenant, route.audience(), digest);
                            UpstreamTraceContext.dropClientContext(context.request(), trace);
                            return Future.fromCompletionStage(guard.call(() -> context.sendRequest()
                                    .recover(failure -> resendOnceIfSafe(context, client, origin, route, failure))
                                    .toCompletionStage()), caller);
                        })
                        .recover(failure -> Future.succeededFuture(failed(context, name, url, failure, guard)));
            }
        });
        return proxy;
    }

    /**
     * The whole body of a request that has one, within the gateway's limit (a chunked body past it fails with
     * {@link CappedBody.TooLarge}; a declared length past it never gets here), or null for none. Buffered because the
     * signed context covers the body's digest, and headers go out before the body.
     */
    private Future<Buffer> bufferedBody(ProxyRequest request, long limit) {
        Body body = request.getBody();
        HttpServerRequest proxied = request.proxiedRequest();
        boolean declared = body != null && body.length() > 0;
        if (body == null || !declared && !CappedBody.ofUnknownLength(proxied)) {
            return Future.succeededFuture(null);
        }
        Promise<Buffer> whole = Promise.promise();
        Buffer collected = Buffer.buffer(declared ? (int) body.length() : 1024);
        CappedBody capped = new CappedBody(body.stream(), limit);
        capped.exceptionHandler(whole::tryFail);
        capped.endHandler(ended -> whole.tryComplete(collected));
        capped.handler(collected::appendBuffer);
        capped.resume();
        return whole.future().onSuccess(buffer -> request.setBody(Body.body(buffer)));
    }

    /**
     * The body of an upload as it arrives, capped at the route's limit (a declared length above it never gets here),
     * and the digest the client declared for it ({@link EdgeRoutes} refused a body without one); empty for none.
     */
    private static Future<String> streamedBody(ProxyRequest request, long limit) {
        Body body = request.getBody();
        HttpServerRequest proxied = request.proxiedRequest();
        boolean declared = body != null && body.length() > 0;
        if (body == null || !declared && !CappedBody.ofUnknownLength(proxied)) {
            return Future.succeededFuture("");
        }
        if (!declared) {
            request.setBody(Body.body(new CappedBody(body.stream(), limit), -1));
        }
        return Future.succeededFuture(proxied.getHeader(ContentDigest.HEADER).strip());
    }

    /** Adds the context signed for this service, method, target and body digest (empty: no body). */
    private void sign(ProxyRequest request, TenantContext caller, String audience, String digest) {
        SignedRequest signed = new SignedRequest(audience, request.getMethod().name(), request.getURI(), digest);
        contexts.sign(caller, signed).forEach(request.headers()::set);
    }

    private long limitOf(String route) {
        return bodyLimit(config.routes().get(route));
    }

    private long bodyLimit(GatewayConfig.Route route) {
        return route.maxBodySize().map(MemorySize::asLongValue).orElse(problems.maxBodyBytes());
    }

    /**
     * A pooled connection the upstream had already closed fails the request before any answer ("stream reset",
     * "connection closed"). A GET or HEAD without a body is sent once more on a new request, as nginx's
     * {@code proxy_next_upstream error} does; anything else could have had an effect upstream and is not repeated.
     */
    private static Future<ProxyResponse> resendOnceIfSafe(ProxyContext context, HttpClient client,
            UpstreamOrigin origin, GatewayConfig.Route route, Throwable failure) {
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
        return client.request(origin.request().setIdleTimeout(route.timeout().toMillis())).compose(request::send);
    }

    /** The problem+json answer for a call that did not reach the upstream, timed out, or was not tried. */
    private ProxyResponse failed(ProxyContext context, String name, String url, Throwable failure,
            UpstreamGuard guard) {
        while (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        Problem problem;
        ProxyResponse response = context.request().response();
        response.headers().clear();
        Body body = context.request().getBody();
        if (failure instanceof CappedBody.TooLarge || body != null && body.stream() instanceof CappedBody capped
                && capped.exceeded()) {
            response.putHeader("Connection", "close");
            problem = problems.tooLarge(failure instanceof CappedBody.TooLarge tooLarge ? tooLarge.limit
                    : limitOf(name));
        } else if (UpstreamGuard.isOpen(failure)) {
            long retryAfter = Math.max(1, guard.delay().toSeconds());
            response.putHeader("Retry-After", Long.toString(retryAfter));
            problem = problems.circuitOpen(name, retryAfter);
        } else if (failure instanceof TimeoutException) {
            LOG.warnf("upstream %s timed out: %s", url, failure.getMessage());
            problem = problems.upstreamTimeout(name);
        } else {
            LOG.warnf("upstream %s unreachable: %s", url, failure.getMessage());
            problem = problems.upstreamUnavailable();
        }
        response.setStatusCode(problem.status()).setStatusMessage(problem.title());
        response.putHeader("Content-Type", Problem.MEDIA_TYPE);
        response.setBody(Body.body(Buffer.buffer(problems.json(problem))));
        return response;
    }
}
