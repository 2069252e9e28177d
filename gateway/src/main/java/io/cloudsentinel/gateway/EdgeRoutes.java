package io.cloudsentinel.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Admission of every {@code /api/*} request: verify the bearer token, apply the tenant's rate limit and the body
 * limit, drop whatever {@code X-CS-*} headers (and the token) the client sent, add the signed tenant context and a
 * request id, then hand the request to the proxy of the service that owns the path ({@link UpstreamRoutes}).
 * Refusals answer problem+json.
 */
@ApplicationScoped
public class EdgeRoutes {

    private static final Logger LOG = Logger.getLogger(EdgeRoutes.class);
    static final String REQUEST_ID = "X-Request-Id";

    private final VerifiedTokens tokens;
    private final RateLimits rateLimits;
    private final ActivityReporter activity;
    private final SignedContextCodec contexts;
    private final UpstreamRoutes routes;
    private final GatewayProblems problems;

    public EdgeRoutes(VerifiedTokens tokens, RateLimits rateLimits, ActivityReporter activity,
            SignedContextCodec contexts, UpstreamRoutes routes, GatewayProblems problems) {
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.activity = activity;
        this.contexts = contexts;
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
        RateLimits.Decision decision = rateLimits.take(caller);
        // On every answer, proxied or not: headers set before proxying stay on the service's response.
        ctx.response().putHeader("RateLimit-Limit", Long.toString(decision.limit()))
                .putHeader("RateLimit-Remaining", Long.toString(decision.remaining()))
                .putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            answer(ctx, requestId, problems.rateLimited(decision.retryAfterSeconds()));
            return;
        }
        if (upstream.proxy().isEmpty()) {
            answer(ctx, requestId, problems.notDeployed(upstream.name()));
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && declaredLength(length) > problems.maxBodyBytes()) {
            ctx.response().putHeader("Connection", "close");
            answer(ctx, requestId, problems.tooLarge());
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
