package io.cloudsentinel.budget.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.service.LlmUsageService;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/llm/usage}: what the tenant's LLM calls of the last days cost, per model and per day. */
@Path("/api/v1/llm/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "llm-usage", description = "What the tenant's LLM calls cost, from its settled authorizations")
public class LlmUsageResource {

    static final int MAX_DAYS = 92;

    private final LlmUsageService usage;
    private final CurrentTenantContext context;

    public LlmUsageResource(LlmUsageService usage, CurrentTenantContext context) {
        this.usage = usage;
        this.context = context;
    }

    @GET
    @Operation(summary = "Sum the tenant's LLM usage", description = "The authorizations settled in [now - days,"
            + " now): calls and cost in total, per model (with tokens) and per UTC day.")
    @APIResponseSchema(value = LlmUsageService.UsageReport.class, responseDescription = "The usage of the window")
    @APIResponse(responseCode = "400", description = "days is not a whole number from 1 to 92 (validation-failed)")
    @APIResponse(responseCode = "403", description = AuthorizationResource.NOT_A_CALLER)
    public Uni<LlmUsageService.UsageReport> get(@QueryParam("days") String days) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.SERVICE);
        return usage.lastDays(context.get().tenant(), days(days));
    }

    // read as text: JAX-RS answers a query parameter it cannot convert with 404
    private static int days(String text) {
        if (text == null) {
            return 30;
        }
        try {
            int days = Integer.parseInt(text.strip());
            if (days >= 1 && days <= MAX_DAYS) {
                return days;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw BudgetProblems.invalid("days", "must be a whole number from 1 to " + MAX_DAYS);
    }
}
