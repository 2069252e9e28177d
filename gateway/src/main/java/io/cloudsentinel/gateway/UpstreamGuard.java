package io.cloudsentinel.gateway;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The circuit breaker in front of one upstream (SmallRye Fault Tolerance). A call fails for the breaker when the
 * upstream was unreachable or timed out; an answer of any status is a success, because the service answered. While
 * open, calls fail at once with {@link CircuitBreakerOpenException} and nothing is sent.
 */
final class UpstreamGuard {

    private final Duration delay;
    private final TypedGuard<CompletionStage<ProxyResponse>> guard;

    UpstreamGuard(String upstream, GatewayConfig.Breaker config) {
        this.delay = config.delay();
        this.guard = TypedGuard.create(new jakarta.enterprise.util.TypeLiteral<CompletionStage<ProxyResponse>>() {
        })
                .withDescription("upstream " + upstream)
                .withCircuitBreaker()
                .name("gateway-upstream-" + upstream)
                .requestVolumeThreshold(config.requestVolume())
                .failureRatio(config.failureRatio())
                .delay(config.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                // the client's fault, not the upstream's
                .skipOn(CappedBody.TooLarge.class)
                .done()
                // The proxied call starts and completes on the event loop already. Without offload, SmallRye FT would
                // still re-dispatch both the start and the completion through the event loop's task queue (with a
                // context-propagation snapshot each time); "offloading" to a direct executor runs both in place.
                .withThreadOffload(true)
                .withThreadOffloadExecutor(Runnable::run)
                .build();
    }

    CompletionStage<ProxyResponse> call(Supplier<CompletionStage<ProxyResponse>> send) {
        try {
            return guard.get(send);
        } catch (CircuitBreakerOpenException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    Duration delay() {
        return delay;
    }

    static boolean isOpen(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CircuitBreakerOpenException) {
                return true;
            }
        }
        return false;
    }
}
