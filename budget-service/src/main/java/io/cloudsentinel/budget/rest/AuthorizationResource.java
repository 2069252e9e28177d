package io.cloudsentinel.budget.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.ModelPrice;
import io.cloudsentinel.budget.service.AuthorizationService;
import io.cloudsentinel.budget.service.PriceService;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/llm}: authorize an LLM call before it happens, then settle or release it. */
@Path("/api/v1/llm")
@Produces(MediaType.APPLICATION_JSON)
public class AuthorizationResource {

    public record AuthorizationRequest(@NotBlank @Size(max = 100) String model, @NotNull Long inputTokens,
            @NotNull Long maxOutputTokens, @NotBlank @Size(max = 200) String idempotencyKey) {
    }

    public record AuthorizationResponse(UUID holdId, String model, long estimateMicros, int priceVersion,
            Instant expiresAt, String status) {
        static AuthorizationResponse of(Hold hold) {
            return new AuthorizationResponse(hold.id(), hold.model(), hold.estimateMicros(), hold.priceVersion(),
                    hold.expiresAt(), hold.status().name());
        }
    }

    public record SettleRequest(@NotNull Long inputTokens, @NotNull Long outputTokens) {
    }

    public record SettlementResponse(UUID holdId, long costMicros, long inputTokens, long outputTokens,
            Instant settledAt) {
    }

    public record ModelView(String model, String provider, int priceVersion, long inputMicrosPerMillionTokens,
            long outputMicrosPerMillionTokens, Instant effectiveFrom) {
        static ModelView of(ModelPrice price) {
            return new ModelView(price.model(), price.provider(), price.version(), price.inputMicrosPerMillion(),
                    price.outputMicrosPerMillion(), price.effectiveFrom());
        }
    }

    private final AuthorizationService authorizations;
    private final CurrentTenantContext context;
    private final PriceService prices;

    public AuthorizationResource(AuthorizationService authorizations, CurrentTenantContext context,
            PriceService prices) {
        this.authorizations = authorizations;
        this.context = context;
        this.prices = prices;
    }

    @POST
    @Path("/authorizations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> authorize(@Valid @NotNull AuthorizationRequest request) {
        return authorizations.authorize(context.get().tenant(), request.model(), request.inputTokens(),
                request.maxOutputTokens(), request.idempotencyKey())
                .map(authorization -> Response.status(authorization.replayed() ? 200 : 201)
                        .header("Idempotent-Replayed", Boolean.toString(authorization.replayed()))
                        .entity(AuthorizationResponse.of(authorization.hold()))
                        .build());
    }

    @POST
    @Path("/authorizations/{holdId}/settle")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SettlementResponse> settle(@PathParam("holdId") UUID holdId, @Valid @NotNull SettleRequest request) {
        return authorizations.settle(context.get().tenant(), holdId, request.inputTokens(), request.outputTokens())
                .map(settlement -> new SettlementResponse(holdId, settlement.costMicros(), settlement.inputTokens(),
                        settlement.outputTokens(), settlement.settledAt()));
    }

    @DELETE
    @Path("/authorizations/{holdId}")
    public Uni<Response> release(@PathParam("holdId") UUID holdId) {
        return authorizations.release(context.get().tenant(), holdId)
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/models")
    public Uni<List<ModelView>> models() {
        return prices.inForce(context.get().tenant())
                .map(all -> all.stream().map(ModelView::of).toList());
    }
}
