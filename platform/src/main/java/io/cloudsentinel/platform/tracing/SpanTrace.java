package io.cloudsentinel.platform.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

/**
 * The current span's W3C trace context ({@code traceparent}, {@code tracestate}, empty when none), as a transaction
 * stores it beside the events it writes (cs_outbox's trace columns) so that their publication continues the trace.
 */
public record SpanTrace(String traceparent, String tracestate) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** The current span's context, or null outside a span (always so while tracing is off): the cheap check first. */
    public static SpanTrace current() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(4);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return new SpanTrace(carrier.get(TRACEPARENT), carrier.getOrDefault(TRACESTATE, ""));
    }
}
