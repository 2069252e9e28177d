package io.cloudsentinel.jobs.client;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.context.ServiceContextSigning;
import io.smallrye.mutiny.Uni;

/**
 * budget-service as job-service calls it for one tenant ({@code quarkus.rest-client.budget.url}), signed with this
 * service's own key: budget-service sees the tenant with the {@code service} role only. Called through
 * {@link BudgetCalls}, which adds the timeouts, retries and breaker.
 */
@Path("/api/v1")
@RegisterRestClient(configKey = "budget")
@RegisterProvider(ServiceContextSigning.class)
@ClientHeaderParam(name = ServiceContextSigning.AUDIENCE, value = "budget-service")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface BudgetClient {

    /** The tenant's budget; {@code monthlyLimitMicros} 0 means none is configured. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record BudgetStatus(long monthlyLimitMicros, Long dailyLimitMicros, String mode, String timeZone,
            long spentMicros, long reservedMicros, long remainingMicros, Instant resetAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ModelUsage(String model, long calls, long inputTokens, long outputTokens, long costMicros) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DayCost(LocalDate day, long costMicros) {
    }

    /** What the tenant's LLM calls settled in [from, to) cost. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LlmUsage(Instant from, Instant to, long calls, long costMicros, List<ModelUsage> byModel,
            List<DayCost> byDay) {
    }

    /** The tenant's LLM settings; the key as crypto-service's ciphertext (purpose {@code llm_api_key}), or null. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LlmCredentials(String provider, String model, String baseUrl, String apiKeyCiphertext) {

        @Override
        public String toString() {
            return "LlmCredentials[provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl + ", key "
                    + (apiKeyCiphertext == null ? "absent" : "sealed") + "]";
        }
    }

    record AuthorizationRequest(String model, long inputTokens, long maxOutputTokens, String idempotencyKey) {
    }

    /** A reservation of the call's worst case, to settle or release. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Hold(UUID holdId, String model, long estimateMicros, int priceVersion, Instant expiresAt, String status) {
    }

    record SettleRequest(long inputTokens, long outputTokens) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Settlement(UUID holdId, long costMicros, long inputTokens, long outputTokens, Instant settledAt) {
    }

    @GET
    @Path("/budgets/me")
    Uni<BudgetStatus> budget(@HeaderParam(ContextHeaders.TENANT) String tenant);

    @GET
    @Path("/llm/usage")
    Uni<LlmUsage> usage(@HeaderParam(ContextHeaders.TENANT) String tenant, @QueryParam("days") int days);

    @GET
    @Path("/llm/settings/credentials")
    Uni<LlmCredentials> credentials(@HeaderParam(ContextHeaders.TENANT) String tenant);

    @POST
    @Path("/llm/authorizations")
    Uni<Hold> authorize(@HeaderParam(ContextHeaders.TENANT) String tenant, AuthorizationRequest request);

    @POST
    @Path("/llm/authorizations/{holdId}/settle")
    Uni<Settlement> settle(@HeaderParam(ContextHeaders.TENANT) String tenant, @PathParam("holdId") UUID holdId,
            SettleRequest request);

    @DELETE
    @Path("/llm/authorizations/{holdId}")
    Uni<Void> release(@HeaderParam(ContextHeaders.TENANT) String tenant, @PathParam("holdId") UUID holdId);
}
