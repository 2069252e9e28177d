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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.ModelPrice;
import io.cloudsentinel.budget.service.AuthorizationService;
import io.cloudsentinel.budget.service.PriceService;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/llm}: authorize an LLM call before it happens, then settle or release it. */
@Path("/api/v1/llm")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "llm-authorizations", description = "Authorize an LLM call before it happens, then settle or release it")
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

    private static final String AUTHORIZED = "Authorized: the hold to settle or release after the call";
    private static final String REPLAYED = "The hold that an earlier request with this idempotency key got"
            + " (Idempotent-Replayed: true)";
    private static final String HOLD_NOT_FOUND = "The tenant has no hold of this id (hold-not-found)";

    private final AuthorizationService authorizations;
    private final CurrentTenantContext context;
    private final PriceService prices;

    static final String NOT_A_CALLER = "The caller is neither a user or admin of the tenant nor a service acting for"
            + " it (forbidden)";

    public AuthorizationResource(AuthorizationService authorizations, CurrentTenantContext context,
            PriceService prices) {
        this.authorizations = authorizations;
        this.context = context;
        this.prices = prices;
    }

    @POST
    @Path("/authorizations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorize an LLM call", description = "Reserves the call's worst-case cost (its input tokens"
            + " and maximum output at the model's price in force) in every budget window of the tenant. A retry"
            + " with the same idempotency key answers the same hold.")
    @APIResponseSchema(value = AuthorizationResponse.class, responseCode = "201", responseDescription = AUTHORIZED)
    @APIResponse(responseCode = "200", description = REPLAYED, content = {
            @Content(schema = @Schema(implementation = AuthorizationResponse.class)) })
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " a field is missing or a token count is out of range")
    @APIResponse(responseCode = "402", description = "A budget window has too little left for the worst case"
            + " (budget-exceeded); the problem names the window and its counters, Retry-After its reset")
    @APIResponse(responseCode = "422", description = "The model has no price in force (unknown-model), or the"
            + " idempotency key was used for another model or other token counts (idempotency-key-reused)")
    @APIResponse(responseCode = "403", description = NOT_A_CALLER)
    public Uni<Response> authorize(@Valid @NotNull AuthorizationRequest request) {
        return authorizations.authorize(caller().tenant(), request.model(), request.inputTokens(),
                request.maxOutputTokens(), request.idempotencyKey())
                .map(authorization -> Response.status(authorization.replayed() ? 200 : 201)
                        .header("Idempotent-Replayed", Boolean.toString(authorization.replayed()))
                        .entity(AuthorizationResponse.of(authorization.hold()))
                        .build());
    }

    @POST
    @Path("/authorizations/{holdId}/settle")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Settle an authorization", description = "Charges the call's real cost at the hold's price"
            + " version, exactly once: a repeat answers the first settlement. A cost above the estimate is charged"
            + " in full, also after the hold expired or was released.")
    @APIResponseSchema(value = SettlementResponse.class, responseDescription = "The cost charged for the hold")
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " a token count is missing or out of range")
    @APIResponse(responseCode = "404", description = HOLD_NOT_FOUND)
    @APIResponse(responseCode = "403", description = NOT_A_CALLER)
    public Uni<SettlementResponse> settle(@PathParam("holdId") UUID holdId, @Valid @NotNull SettleRequest request) {
        return authorizations.settle(caller().tenant(), holdId, request.inputTokens(), request.outputTokens())
                .map(settlement -> new SettlementResponse(holdId, settlement.costMicros(), settlement.inputTokens(),
                        settlement.outputTokens(), settlement.settledAt()));
    }

    @DELETE
    @Path("/authorizations/{holdId}")
    @Operation(summary = "Release an authorization", description = "Frees what the hold reserved, for a call that"
            + " did not happen. Releasing a released or expired hold changes nothing.")
    @APIResponse(responseCode = "204", description = "Released, or there was nothing left to release")
    @APIResponse(responseCode = "404", description = HOLD_NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The hold was settled: its cost is charged (hold-settled)")
    @APIResponse(responseCode = "403", description = NOT_A_CALLER)
    public Uni<Response> release(@PathParam("holdId") UUID holdId) {
        return authorizations.release(caller().tenant(), holdId)
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/models")
    @Operation(summary = "List the models and their prices", description = "Every model with a price in force now,"
            + " per million input and output tokens in micro-USD.")
    @APIResponseSchema(value = ModelView[].class, responseDescription = "The models an authorization can name")
    @APIResponse(responseCode = "403", description = NOT_A_CALLER)
    public Uni<List<ModelView>> models() {
        return prices.inForce(caller().tenant())
                .map(all -> all.stream().map(ModelView::of).toList());
    }

    /** Those who may spend or read the budget: its tenant's users and admins, and services acting for the tenant. */
    private TenantContext caller() {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.SERVICE);
        return caller;
    }
}
