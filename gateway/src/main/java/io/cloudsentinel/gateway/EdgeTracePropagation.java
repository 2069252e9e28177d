package io.cloudsentinel.gateway;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.opentelemetry.runtime.propagation.TextMapPropagatorCustomizer;

/**
 * The gateway is the edge: a client's {@code traceparent} is not trusted as the parent of the gateway's span, so every
 * request starts a trace of the gateway's own. A client that picked the parent could force sampling of as many traces
 * as it sends (the sampler follows a sampled parent), or graft its spans onto another request's trace by reusing its
 * id. With {@code cs.otel.trust-client-context=true} (a trusted edge that makes trace ids runs in front)
 * the client's context is continued. Injection, into the proxied requests, is W3C's as usual.
 */
@ApplicationScoped
public class EdgeTracePropagation implements TextMapPropagatorCustomizer {

    private final boolean trustClientContext;

    public EdgeTracePropagation(
            @ConfigProperty(name = "cs.otel.trust-client-context", defaultValue = "false") boolean trust) {
        this.trustClientContext = trust;
    }

    @Override
    public TextMapPropagator customize(TextMapPropagatorCustomizer.Context context) {
        TextMapPropagator propagator = context.propagator();
        return trustClientContext ? propagator : new InjectOnly(propagator);
    }

    /** Writes the gateway's context into outgoing requests; reads none from incoming ones. */
    private record InjectOnly(TextMapPropagator delegate) implements TextMapPropagator {

        @Override
        public Collection<String> fields() {
            return delegate.fields();
        }

        @Override
        public <C> void inject(io.opentelemetry.context.Context context, C carrier, TextMapSetter<C> setter) {
            delegate.inject(context, carrier, setter);
        }

        @Override
        public <C> io.opentelemetry.context.Context extract(io.opentelemetry.context.Context context, C carrier,
                TextMapGetter<C> getter) {
            return context;
        }
    }
}
