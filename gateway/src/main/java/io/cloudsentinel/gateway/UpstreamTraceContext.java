package io.cloudsentinel.gateway;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.vertx.httpproxy.ProxyRequest;

/**
 * The trace context a proxied request carries: the gateway's own. Inside a span the client's {@code traceparent} and
 * {@code tracestate} are removed, and the Vert.x HTTP client's tracer adds its client span's (a child of the
 * gateway's server span), so the service's server span is the gateway's grandchild. Without the removal the
 * client's header, which the proxy copies, reaches the service first and picks its parent. The gateway's own span never
 * continues a client's trace unless {@code cs.otel.trust-client-context} says
 * so ({@link EdgeTracePropagation}). While tracing is off there is no span and the client's headers pass unchanged:
 * the gateway makes no spans for a client to choose the parent of.
 */
final class UpstreamTraceContext {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private UpstreamTraceContext() {
    }

    /** The current context, taken on the request's own Vert.x context before the body is read. */
    static Context current() {
        Context context = Context.current();
        return Span.fromContext(context).getSpanContext().isValid() ? context : null;
    }

    /** Drops the client's trace headers when the gateway traces this request (gateway: its context, or null). */
    static void dropClientContext(ProxyRequest request, Context gateway) {
        if (gateway == null) {
            return;
        }
        request.headers().remove(TRACEPARENT);
        request.headers().remove(TRACESTATE);
    }
}
