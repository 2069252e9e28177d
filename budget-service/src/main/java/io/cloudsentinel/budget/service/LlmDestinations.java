package io.cloudsentinel.budget.service;

import java.net.URI;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.config.BudgetConfig;
import io.cloudsentinel.platform.egress.DestinationGuard;
import io.cloudsentinel.platform.egress.DestinationPolicy;
import io.cloudsentinel.platform.egress.DestinationRefusedException;
import io.cloudsentinel.platform.egress.HostResolver;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Whether a tenant's LLM base URL may be stored: the same destination guard webhooks pass, under this service's
 * policy ({@code cs.budget.llm.allow-private}, {@code cs.budget.llm.allowed-hosts}). job-service checks again before
 * each call; this refuses early what could never be called. Built at start-up: an allow-list entry that is neither a
 * host name nor a CIDR block refuses the start.
 */
@Startup
@ApplicationScoped
public class LlmDestinations {

    private final DestinationGuard guard;

    public LlmDestinations(BudgetConfig config) {
        this.guard = new DestinationGuard(new DestinationPolicy(config.llm().allowPrivate(),
                config.llm().allowedHosts().orElse(List.of())), HostResolver.SYSTEM);
    }

    /** @return the URL, or a 422 {@code destination-refused} naming the guard's reason */
    public Uni<URI> check(URI baseUrl) {
        // the guard resolves the host (blocking DNS): off the event loop, back on the caller's context
        Context caller = Vertx.currentContext();
        Uni<URI> checked = Uni.createFrom().item(() -> {
            try {
                guard.check(baseUrl);
                return baseUrl;
            } catch (DestinationRefusedException e) {
                throw BudgetProblems.destinationRefused(e.reason(), e.getMessage());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return caller == null ? checked : checked.emitOn(step -> caller.runOnContext(ignored -> step.run()));
    }
}
