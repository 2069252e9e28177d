package io.cloudsentinel.platform.context;

import java.util.Map;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemResponses;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every REST request of a service must carry a context signed for this service, this method and this target, by the
 * gateway or by a service acting for a tenant; anything else is answered 401 problem+json before a resource runs. A
 * call that bypasses the gateway cannot act as a tenant, and a context captured from one request is worth nothing on
 * another. A request with a body must have the body's {@code Content-Digest} signed; {@link ContentDigestCheck}
 * compares it with the bytes when the resource reads them.
 */
public class SignedContextFilter {

    static final String SIGNED_DIGEST = "cs.context.signed-content-digest";

    private final SignedContextCodec codec;
    private final CurrentTenantContext current;
    private final MeterRegistry registry;

    public SignedContextFilter(SignedContextCodec codec, CurrentTenantContext current, MeterRegistry registry) {
        this.codec = codec;
        this.current = current;
        this.registry = registry;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response requireSignedContext(ContainerRequestContext request, HttpServerRequest http) {
        try {
            SignedContextCodec.Verified verified = codec.verify(request::getHeaderString, http.method().name(),
                    http.uri());
            if (verified.contentDigest().isEmpty() && hasBody(http)) {
                throw new InvalidContextException("a request body must be covered by a signed Content-Digest");
            }
            request.setProperty(SIGNED_DIGEST, verified.contentDigest());
            current.set(verified.context());
            LogContext.enter(verified.context(), request.getHeaderString(LogContext.REQUEST_ID_HEADER),
                    request.getHeaderString(LogContext.TRACEPARENT_HEADER));
            return null;
        } catch (InvalidContextException e) {
            return refused(registry, e.getMessage());
        }
    }

    static Response refused(MeterRegistry registry, String reason) {
        registry.counter("cs.context.rejected").increment();
        return ProblemResponses.of(Problem.of(ProblemTypes.CONTEXT_INVALID, 401, "Unauthenticated", reason),
                Map.of("WWW-Authenticate", "CS-Context"));
    }

    private static boolean hasBody(HttpServerRequest http) {
        String length = http.getHeader("Content-Length");
        if (length != null) {
            return !length.strip().equals("0");
        }
        return http.getHeader("Transfer-Encoding") != null;
    }
}
