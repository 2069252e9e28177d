package io.cloudsentinel.jobs.client;

import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * budget-service's calls with MicroProfile Fault Tolerance: each call has a timeout, is retried with exponential
 * backoff when budget-service is unreachable, failing or slow ({@link BudgetUnavailableException}), never when it
 * refused the request ({@link BudgetRefusedException}, 4xx), and a breaker opens when most calls fail. Retrying is
 * safe: an authorization carries its idempotency key, a settlement repeated answers the first one, a release is
 * idempotent. The values are MP Fault Tolerance settings, e.g.
 * {@code io.cloudsentinel.jobs.client.BudgetCalls/Retry/delay=50} (and {@code …/settle/Retry/…} for settle's own).
 */
@ApplicationScoped
@Timeout(value = 5, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 3, delay = 200, jitter = 100, retryOn = { BudgetUnavailableException.class,
        TimeoutException.class })
@ExponentialBackoff(maxDelay = 2, maxDelayUnit = ChronoUnit.SECONDS)
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS, failOn = {
        BudgetUnavailableException.class, TimeoutException.class })
public class BudgetCalls {

    private final BudgetClient budget;
    private final ObjectMapper json;

    public BudgetCalls(@RestClient BudgetClient budget, ObjectMapper json) {
        this.budget = budget;
        this.json = json;
    }

    public Uni<BudgetClient.BudgetStatus> budget(TenantId tenant) {
        return answered(budget.budget(tenant.toString()), "budget");
    }

    public Uni<BudgetClient.LlmUsage> usage(TenantId tenant, int days) {
        return answered(budget.usage(tenant.toString(), days), "usage");
    }

    /** The tenant's LLM settings, empty when it stored none (404). */
    public Uni<Optional<BudgetClient.LlmCredentials>> credentials(TenantId tenant) {
        return answered(budget.credentials(tenant.toString()), "credentials").map(Optional::of)
                .onFailure(BudgetRefusedException.class)
                .recoverWithUni(failure -> ((BudgetRefusedException) failure).status() == 404
                        ? Uni.createFrom().item(Optional.empty())
                        : Uni.createFrom().failure(failure));
    }

    public Uni<BudgetClient.Hold> authorize(TenantId tenant, BudgetClient.AuthorizationRequest request) {
        return answered(budget.authorize(tenant.toString(), request), "authorize");
    }

    /** Real spend must land: more retries than the other calls, spread over several seconds. */
    @Retry(maxRetries = 6, delay = 200, jitter = 100, retryOn = { BudgetUnavailableException.class,
            TimeoutException.class })
    public Uni<BudgetClient.Settlement> settle(TenantId tenant, UUID holdId, long inputTokens, long outputTokens) {
        return answered(budget.settle(tenant.toString(), holdId,
                new BudgetClient.SettleRequest(inputTokens, outputTokens)), "settle");
    }

    /**
     * A kept settlement sent again (service/PendingSettlementRetry): one try, whose caller's backoff is the retry, with
     * a breaker of its own, so that a sweep while budget-service is down does not trip the jobs' settlements.
     */
    @Retry(maxRetries = 0)
    public Uni<BudgetClient.Settlement> settleAgain(TenantId tenant, UUID holdId, long inputTokens,
            long outputTokens) {
        return answered(budget.settle(tenant.toString(), holdId,
                new BudgetClient.SettleRequest(inputTokens, outputTokens)), "settle");
    }

    public Uni<Void> release(TenantId tenant, UUID holdId) {
        return answered(budget.release(tenant.toString(), holdId), "release");
    }

    /** Whether the call failed because budget-service could not take it: unreachable, failing, slow or tripped. */
    public static boolean unavailable(Throwable failure) {
        return failure instanceof BudgetUnavailableException || failure instanceof TimeoutException
                || failure instanceof CircuitBreakerOpenException;
    }

    /** Sorts failures into worth a retry (unreachable, 5xx) and final (4xx, with the problem's detail). */
    private <T> Uni<T> answered(Uni<T> call, String operation) {
        return call.onFailure().transform(failure -> {
            if (failure instanceof WebApplicationException answered && answered.getResponse() != null) {
                int status = answered.getResponse().getStatus();
                if (status < 500) {
                    return new BudgetRefusedException(status, "budget-service refused " + operation + " (" + status
                            + ")" + detail(answered.getResponse()));
                }
                return new BudgetUnavailableException("budget-service " + operation + " failed (" + status + ")",
                        failure);
            }
            if (failure instanceof ProcessingException || failure instanceof java.io.IOException
                    || failure instanceof io.vertx.core.VertxException) {
                return new BudgetUnavailableException("budget-service " + operation + " failed: "
                        + failure.getClass().getSimpleName(), failure);
            }
            return failure;
        });
    }

    /** ": <detail>" of the problem+json answer, when it can be read. */
    private String detail(Response response) {
        try {
            JsonNode problem = json.readTree(response.readEntity(String.class));
            String detail = problem.path("detail").asText("");
            return detail.isBlank() ? "" : ": " + detail;
        } catch (RuntimeException | java.io.IOException e) {
            return "";
        }
    }
}
