package io.cloudsentinel.jobs.analysis;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.jobs.client.BudgetCalls;
import io.cloudsentinel.jobs.client.BudgetClient;
import io.cloudsentinel.jobs.config.AnalysisConfig;
import io.cloudsentinel.jobs.service.PendingSettlementRetry;
import io.cloudsentinel.platform.egress.CheckedDestination;
import io.cloudsentinel.platform.egress.EgressClient;
import io.cloudsentinel.platform.egress.Exchange;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * One chat completion under a hold, and the hold's settlement ({@link HoldSettlement}). The call and its settlement
 * belong to the exchange, not to the attempt: once the request is under way they go on even when the attempt is
 * cancelled or times out, up to {@code cs.jobs.analysis.model-timeout}, so that a late answer is charged with its
 * real usage and a missing one at the worst case; only the waiting for them is cancelled. A settlement that
 * budget-service cannot take even after {@link BudgetCalls}' retries is kept for {@link PendingSettlementRetry}.
 */
@ApplicationScoped
public class ModelCall {

    private static final Logger LOG = Logger.getLogger(ModelCall.class);
    /** An analysis answer is a few KiB; anything far larger is no answer. */
    static final int MAX_ANSWER_BYTES = 1 << 20;
    /** How long past the model timeout the egress client may take to report it, before we stop waiting. */
    private static final Duration REPORT_GRACE = Duration.ofSeconds(5);

    /** The call once its hold was settled (then {@code settlement} is present) or released. */
    public record Concluded(Exchange exchange, ChatCompletion.Reply reply, Optional<BudgetClient.Settlement> settlement,
            boolean estimated) {
    }

    private final EgressClient egress;
    private final BudgetCalls budget;
    private final PendingSettlementRetry pending;
    private final ObjectMapper json;
    private final Duration timeout;

    public ModelCall(Vertx vertx, BudgetCalls budget, PendingSettlementRetry pending, ObjectMapper json,
            AnalysisConfig config) {
        this.egress = new EgressClient(vertx);
        this.budget = budget;
        this.pending = pending;
        this.json = json;
        this.timeout = config.modelTimeout();
    }

    @PreDestroy
    void close() {
        egress.close();
    }

    /**
     * Sends the request to the checked destination (and nowhere else) and settles or releases the hold. The returned
     * {@code Uni} may be cancelled; the exchange is not.
     *
     * @param headers the request's headers, the provider key among them: sent, never kept or logged
     */
    public Uni<Concluded> call(TenantId tenant, UUID jobId, BudgetClient.Hold hold, long reservedInput,
            long reservedOutput, CheckedDestination to, Map<String, String> headers, byte[] body) {
        CompletableFuture<Concluded> concluded = new CompletableFuture<>();
        AtomicBoolean kept = new AtomicBoolean();
        egress.send(to, "POST", headers, body, timeout, MAX_ANSWER_BYTES)
                .ifNoItem().after(timeout.plus(REPORT_GRACE))
                .recoverWithItem(() -> new Exchange.NoAnswer(new TimeoutException("no answer within " + timeout)))
                .chain(exchange -> conclude(tenant, jobId, hold, reservedInput, reservedOutput, exchange, kept))
                .subscribe().with(concluded::complete, failure -> {
                    if (!kept.get()) {
                        LOG.warnf("finops_analysis job %s: hold %s could not be settled or released: %s", jobId,
                                hold.holdId(), failure.toString());
                    }
                    concluded.completeExceptionally(failure);
                });
        // waiting on the future, not on the exchange: cancelling this Uni leaves the exchange running
        return Uni.createFrom().emitter(emitter -> concluded.whenComplete((done, failure) -> {
            if (failure != null) {
                emitter.fail(failure);
            } else {
                emitter.complete(done);
            }
        }));
    }

    private Uni<Concluded> conclude(TenantId tenant, UUID jobId, BudgetClient.Hold hold, long reservedInput,
            long reservedOutput, Exchange exchange, AtomicBoolean kept) {
        ChatCompletion.Reply reply = exchange instanceof Exchange.Answered answered
                ? ChatCompletion.parse(json, answered.body())
                : ChatCompletion.Reply.UNREADABLE;
        HoldSettlement settlement = HoldSettlement.after(exchange, reply.usage(), reservedInput, reservedOutput);
        if (settlement instanceof HoldSettlement.Settle settle) {
            return budget.settle(tenant, hold.holdId(), settle.inputTokens(), settle.outputTokens())
                    .invoke(settled -> LOG.infof("finops_analysis job %s: hold %s settled at %d input and %d output"
                            + " tokens%s, %d micro-USD", jobId, hold.holdId(), settled.inputTokens(),
                            settled.outputTokens(), settle.estimated() ? " (estimated: the worst case)" : "",
                            settled.costMicros()))
                    .map(settled -> new Concluded(exchange, reply, Optional.of(settled), settle.estimated()))
                    // the attempt fails as it would have; the spend is kept, not dropped
                    .onFailure(BudgetCalls::unavailable).call(failure -> pending.keep(tenant, jobId, hold.holdId(),
                            settle.inputTokens(), settle.outputTokens(), settle.estimated(), failure)
                            .invoke(kept::set));
        }
        return budget.release(tenant, hold.holdId())
                .invoke(() -> LOG.infof("finops_analysis job %s: hold %s released (%s)", jobId, hold.holdId(),
                        exchange instanceof Exchange.NotConnected ? "the request never left"
                                : "the provider refused it and reported no usage"))
                .map(ignored -> new Concluded(exchange, reply, Optional.empty(), false));
    }
}
