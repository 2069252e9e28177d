package io.cloudsentinel.platform.context;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemResponses;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every REST request of a service must carry a context signed by the gateway (or by a service acting for a tenant);
 * anything else is answered 401 problem+json before a resource runs. A call that bypasses the gateway cannot act as
 * a tenant.
 */
public class SignedContextFilter {

    private final SignedContextCodec codec;
    private final CurrentTenantContext current;
    private final MeterRegistry registry;

    public SignedContextFilter(SignedContextCodec codec, CurrentTenantContext current, MeterRegistry registry) {
        this.codec = codec;
        this.current = current;
        this.registry = registry;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response requireSignedContext(ContainerRequestContext request) {
        try {
            TenantContext context = codec.verify(request::getHeaderString);
            current.set(context);
            LogContext.enter(context, request.getHeaderString(LogContext.REQUEST_ID_HEADER),
                    request.getHeaderString(LogContext.TRACEPARENT_HEADER));
            return null;
        } catch (InvalidContextException e) {
            registry.counter("cs.context.rejected").increment();
            return ProblemResponses.of(Problem.of(ProblemTypes.CONTEXT_INVALID, 401, "Unauthenticated", e.getMessage()),
                    java.util.Map.of("WWW-Authenticate", "CS-Context"));
        }
    }
}
