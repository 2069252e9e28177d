package io.cloudsentinel.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.context.ContentDigest;
import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Admission of every {@code /api/*} request: the client address's limit, then verify the bearer token, apply the
 * tenant's rate limit and the body limit, drop whatever {@code X-CS-*} and {@code Content-Digest} headers (and the token) the
 * client sent, add a
 * request id, then hand the request and its caller to the proxy of the service that owns the path
 * ({@link UpstreamRoutes}), which signs the context for that service, method, target and body.
 * Refusals answer problem+json.
 */
@ApplicationScoped
public class EdgeRoutes {

    private static final Logger LOG = Logger.getLogger(EdgeRoutes.class);
    static final String REQUEST_ID = "X-Request-Id";

    private final VerifiedTokens tokens;
    private final RateLimits rateLimits;
    private final AddressLimits addressLimits;
    private final ClientAddress clientAddress;
    private final ActivityReporter activity;
    private final UpstreamRoutes routes;
    private final GatewayProblems problems;

    public EdgeRoutes(VerifiedTokens tokens, RateLimits rateLimits, AddressLimits addressLimits,
            ClientAddress clientAddress, ActivityReporter activity, UpstreamRoutes routes, GatewayProblems problems) {
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.addressLimits = addressLimits;
        this.clientAddress = clientAddress;
        this.activity = activity;
        this.routes = routes;
        this.problems = problems;
    }

    void init(@Observes Router router, Vertx vertx) {
        routes.build(vertx);
        router.route("/api/*").order(-10).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String requestId = Optional.ofNullable(request.getHeader(REQUEST_ID)).filter(id -> id.length() <= 128)
                .orElseGet(() -> UUID.randomUUID().toString());
        UpstreamRoutes.Upstream upstream = routes.ownerOf(request.path());
        if (upstream == null) {
            answer(ctx, requestId, problems.noOwner());
            return;
        }
        RateLimits.Decision perAddress = addressLimits.take(clientAddress.of(request));
        if (!perAddress.allowed()) {
            refuse(ctx, requestId, perAddress);
            return;
        }
        TenantContext caller;
        try {
            caller = tokens.caller(request.getHeader("Authorization"));
        } catch (ParseException | VerifiedTokens.MissingToken e) {
            LOG.debugf("token refused: %s", e.getMessage());
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            answer(ctx, requestId, problems.unauthenticated(e instanceof VerifiedTokens.MissingToken));
            return;
        } catch (IllegalArgumentException e) {
            answer(ctx, requestId, problems.noTenant());
            return;
        }
        activity.seen(caller.tenant());
        CompletableFuture<RateLimits.Decision> decided = rateLimits.take(caller).toCompletableFuture();
        if (decided.isDone()) { // the in-memory store: decided already, no hop
            admit(ctx, requestId, upstream, caller, decided.getNow(RateLimits.Decision.unknown()));
            return;
        }
        // Redis answers on its own threads: the request waits paused (its body unread) and goes on on its context
        request.pause();
        Context context = Vertx.currentContext();
        decided.whenComplete((decision, failure) -> context.runOnContext(ignored -> admit(ctx, requestId, upstream,
                caller, failure == null ? decision : RateLimits.Decision.unknown())));
    }

    private void admit(RoutingContext ctx, String requestId, UpstreamRoutes.Upstream upstream, TenantContext caller,
            RateLimits.Decision decision) {
        HttpServerRequest request = ctx.request();
        if (decision.known()) {
            // On every answer, proxied or not: headers set before proxying stay on the service's response.
            ctx.response().putHeader("RateLimit-Limit", Long.toString(decision.limit()))
                    .putHeader("RateLimit-Remaining", Long.toString(decision.remaining()))
                    .putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        }
        if (!decision.allowed()) {
            refuse(ctx, requestId, decision);
            return;
        }
        if (upstream.proxy().isEmpty()) {
            answer(ctx, requestId, problems.notDeployed(upstream.name()));
            return;
        }
        String length = request.getHeader("Content-Length");
        long declared = length == null ? 0 : declaredLength(length);
        if (declared > upstream.maxBodyBytes()) {
            ctx.response().putHeader("Connection", "close");
            answer(ctx, requestId, problems.tooLarge(upstream.maxBodyBytes()));
            return;
        }
        boolean hasBody = declared > 0 || CappedBody.ofUnknownLength(request);
        if (upstream.streamed() && hasBody && !ContentDigest.isSha256(request.getHeader(ContentDigest.HEADER))) {
            answer(ctx, requestId, problems.digestRequired());
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
        // on a buffered route the digest the context covers is the gateway's own, computed over the body it forwards
        // (UpstreamRoutes); an upload streams, and its client's digest is signed and checked by the service
        if (!upstream.streamed()) {
            request.headers().remove(ContentDigest.HEADER);
        }
        ForwardedCaller.set(caller);
        request.headers().set(REQUEST_ID, requestId);
        ctx.response().putHeader(REQUEST_ID, requestId);
        upstream.proxy().get().handle(request);
    }

    private void refuse(RoutingContext ctx, String requestId, RateLimits.Decision decision) {
        ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        answer(ctx, requestId, problems.rateLimited(decision.retryAfterSeconds()));
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // a length that is not a number is refused with the oversize ones
        }
    }

    private void answer(RoutingContext ctx, String requestId, Problem problem) {
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(REQUEST_ID, requestId).end(problems.json(problem));
    }
}
