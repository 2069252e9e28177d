package io.cloudsentinel.jobs.handler;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudsentinel.jobs.analysis.AnalysisAnswer;
import io.cloudsentinel.jobs.analysis.AnalysisFailure;
import io.cloudsentinel.jobs.analysis.AnalysisInputSource;
import io.cloudsentinel.jobs.analysis.AnalysisPrompt;
import io.cloudsentinel.jobs.analysis.ChatCompletion;
import io.cloudsentinel.jobs.analysis.CostLine;
import io.cloudsentinel.jobs.analysis.ModelCall;
import io.cloudsentinel.jobs.analysis.ModelEndpoint;
import io.cloudsentinel.jobs.analysis.ModelUnavailableException;
import io.cloudsentinel.jobs.analysis.TokenEstimate;
import io.cloudsentinel.jobs.client.BudgetCalls;
import io.cloudsentinel.jobs.client.BudgetClient;
import io.cloudsentinel.jobs.client.BudgetRefusedException;
import io.cloudsentinel.jobs.config.AnalysisConfig;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.service.Notifications;
import io.cloudsentinel.jobs.store.AnalysisWrite;
import io.cloudsentinel.jobs.store.CostSettingsRead;
import io.cloudsentinel.platform.crypto.SecretRefusedException;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.egress.CheckedDestination;
import io.cloudsentinel.platform.egress.DestinationGuard;
import io.cloudsentinel.platform.egress.DestinationPolicy;
import io.cloudsentinel.platform.egress.DestinationRefusedException;
import io.cloudsentinel.platform.egress.Exchange;
import io.cloudsentinel.platform.egress.HostResolver;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * {@code finops_analysis}: a cost analysis of the tenant's data by an LLM, paid from the tenant's budget. It reads
 * the cost lines ({@link AnalysisInputSource}s), the budget and the tenant's LLM settings; with no data, no budget or
 * no model to call it completes as {@code skipped} with the reason and calls nothing. Otherwise it bounds the prompt,
 * estimates its input tokens from above, reserves the worst case in budget-service (idempotency key
 * {@code finops_analysis:<job>:<attempt>}; a 402 is fatal, {@code budget_exceeded}), opens the tenant's key just
 * before the call, calls the checked endpoint ({@link ModelCall}, which settles or releases the hold whatever
 * becomes of the attempt), checks the answer against its schema and stores it with an {@code analysis.completed}
 * notification in the attempt's fenced transaction.
 */
@ApplicationScoped
public class FinopsAnalysisHandler implements JobHandler {

    public static final String TYPE = "finops_analysis";
    /** crypto-service's purpose of a tenant's provider key (budget-service seals it). */
    public static final String KEY_PURPOSE = "llm_api_key";
    public static final String COMPLETED_EVENT = "analysis.completed";
    public static final String NO_COST_DATA = "no_cost_data";
    public static final String NO_BUDGET = "no_budget";
    public static final String NO_LLM_CREDENTIALS = "no_llm_credentials";

    private static final Logger LOG = Logger.getLogger(FinopsAnalysisHandler.class);

    private final BudgetCalls budget;
    private final TenantSecrets secrets;
    private final List<AnalysisInputSource> sources;
    private final ModelCall calls;
    private final AnalysisWrite store;
    private final Notifications notifications;
    private final AnalysisConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final AnalysisAnswer answers;
    private final AnalysisPrompt prompts;
    private final CostSettingsRead costSettings;
    private final DestinationGuard tenantDestinations;
    private final DestinationGuard platformDestination;

    public FinopsAnalysisHandler(BudgetCalls budget, TenantSecrets secrets, Instance<AnalysisInputSource> sources,
            ModelCall calls, AnalysisWrite store, Notifications notifications, CostSettingsRead costSettings,
            AnalysisConfig config, JobsConfig jobs, ObjectMapper json, Clock clock, HostResolver resolver) {
        requireModelTimeoutBelow(config.modelTimeout(), jobs.types().get(TYPE).timeout());
        this.budget = budget;
        this.secrets = secrets;
        this.sources = sources.stream().toList();
        this.calls = calls;
        this.store = store;
        this.notifications = notifications;
        this.costSettings = costSettings;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.answers = new AnalysisAnswer(json);
        this.prompts = new AnalysisPrompt(json, new TokenEstimate(), answers.schema());
        List<String> allowed = config.allowedHosts().orElse(List.of());
        this.tenantDestinations = new DestinationGuard(new DestinationPolicy(config.allowPrivate(), allowed),
                resolver);
        // the operator chose the platform's endpoint: allowed although it may be private
        List<String> withPlatform = new ArrayList<>(allowed);
        Optional.ofNullable(URI.create(config.platform().baseUrl().strip()).getHost()).ifPresent(withPlatform::add);
        this.platformDestination = new DestinationGuard(new DestinationPolicy(config.allowPrivate(), withPlatform),
                resolver);
    }

    /** The model call and its settlement must end within the attempt: a configuration where they cannot is refused. */
    static void requireModelTimeoutBelow(Duration modelTimeout, Duration typeTimeout) {
        if (modelTimeout.compareTo(typeTimeout) >= 0) {
            throw new IllegalStateException("cs.jobs.analysis.model-timeout (" + modelTimeout
                    + ") must be below cs.jobs.types." + TYPE + ".timeout (" + typeTimeout + ")");
        }
    }

    /** Made at start, so that a model timeout at or above the type's stops the start. */
    void onStart(@Observes StartupEvent started) {
        LOG.debugf("%s: model timeout %s, %d input / %d output tokens at most", TYPE, config.modelTimeout(),
                config.maxInputTokens(), config.maxOutputTokens());
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Optional cost lines (exact decimal amounts in their ISO 4217 currency) and a focus for the analysis. */
    @Override
    public String payloadSchema() {
        return """
                {"type": "object", "additionalProperties": false,
                 "properties": {
                   "costs": {"type": "array", "maxItems": 200, "items": {
                     "type": "object", "additionalProperties": false,
                     "required": ["service", "amount", "currency", "periodStart", "periodEnd"],
                     "properties": {
                       "service": {"type": "string", "minLength": 1, "maxLength": 200},
                       "amount": {"type": "string", "pattern": "^-?(0|[1-9][0-9]{0,17})(\\\\.[0-9]{1,12})?$"},
                       "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                       "periodStart": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]},
                       "periodEnd": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}}}},
                   "focus": {"type": "string", "maxLength": 500}}}
                """;
    }

    @Override
    public Uni<Void> run(JobRun run) {
        TenantId tenant = run.tenant();
        Uni<List<CostLine>> lines = Uni.join().all(sources.stream().map(source -> source.lines(run)).toList())
                .andFailFast().map(all -> all.stream().flatMap(List::stream).toList());
        Uni<Optional<ModelEndpoint>> endpoint = budget.credentials(tenant).map(settings -> settings.isPresent()
                ? ModelEndpoint.ofTenant(settings.get())
                : ModelEndpoint.ofPlatform(config.platform()));
        // the tenant's own token budget for the summary, else the operator's
        Uni<Integer> maxInputTokens = run.inTenant(connection -> costSettings.of(connection, tenant))
                .map(settings -> settings.analysisMaxInputTokens().orElse(config.maxInputTokens()));
        return Uni.combine().all().unis(lines, budget.budget(tenant), endpoint, maxInputTokens).asTuple()
                .chain(found -> {
                    if (found.getItem1().isEmpty()) {
                        return skip(run, NO_COST_DATA);
                    }
                    if (found.getItem2().monthlyLimitMicros() <= 0) {
                        return skip(run, NO_BUDGET);
                    }
                    if (found.getItem3().isEmpty()) {
                        return skip(run, NO_LLM_CREDENTIALS);
                    }
                    return analyse(run, found.getItem1(), found.getItem2(), found.getItem3().get(), found.getItem4());
                }).onFailure(DestinationRefusedException.class).transform(FinopsAnalysisHandler::refusedDestination)
                .onFailure(BudgetRefusedException.class)
                .transform(refused -> new AnalysisFailure(AnalysisFailure.BUDGET_REFUSED, refused.getMessage()));
    }

    private Uni<Void> analyse(JobRun run, List<CostLine> lines, BudgetClient.BudgetStatus status,
            ModelEndpoint endpoint, int maxInputTokens) {
        AnalysisPrompt.Prompt prompt = prompts.build(endpoint.model(), new AnalysisPrompt.BudgetFigures(
                status.monthlyLimitMicros(), status.spentMicros(), status.reservedMicros(), status.remainingMicros(),
                status.mode()), lines, focus(run), maxInputTokens);
        int maxOutput = config.maxOutputTokens();
        byte[] body = ChatCompletion.request(json, endpoint.model(), prompt.messages(), maxOutput, answers.schema());
        return checked(endpoint).chain(to -> authorize(run, endpoint.model(), prompt.inputTokens(), maxOutput)
                .chain(hold -> key(run.tenant(), endpoint)
                        .onFailure().call(failure -> budget.release(run.tenant(), hold.holdId())
                                .onFailure().recoverWithNull())
                        .chain(key -> calls.call(run.tenant(), run.jobId(), hold, prompt.inputTokens(), maxOutput, to,
                                headers(key), body))
                        .chain(concluded -> conclude(run, endpoint, to, hold, concluded))));
    }

    /** The endpoint's URL through the guard, off the event loop (it looks the name up once, and may block). */
    private Uni<CheckedDestination> checked(ModelEndpoint endpoint) {
        DestinationGuard guard = endpoint.whose() == ModelEndpoint.Whose.PLATFORM ? platformDestination
                : tenantDestinations;
        return Uni.createFrom().item(() -> guard.check(endpoint.chatUrl()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<BudgetClient.Hold> authorize(JobRun run, String model, int inputTokens, int maxOutput) {
        String idempotencyKey = TYPE + ":" + run.jobId() + ":" + run.attempt();
        return budget.authorize(run.tenant(), new BudgetClient.AuthorizationRequest(model, inputTokens, maxOutput,
                idempotencyKey)).onFailure(BudgetRefusedException.class).transform(failure -> {
                    BudgetRefusedException refused = (BudgetRefusedException) failure;
                    return new AnalysisFailure(refused.budgetExceeded() ? AnalysisFailure.BUDGET_EXCEEDED
                            : AnalysisFailure.BUDGET_REFUSED, refused.getMessage());
                });
    }

    /** The key for this endpoint alone: the platform's for the platform's, the tenant's own (opened now) for its. */
    private Uni<Optional<String>> key(TenantId tenant, ModelEndpoint endpoint) {
        if (endpoint.whose() == ModelEndpoint.Whose.PLATFORM) {
            return Uni.createFrom().item(config.platform().apiKey());
        }
        if (endpoint.keyCiphertext().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return secrets.open(tenant, KEY_PURPOSE, endpoint.keyCiphertext().get()).map(Optional::of)
                .onFailure(SecretRefusedException.class).transform(refused -> new AnalysisFailure(
                        AnalysisFailure.KEY_REFUSED, "the tenant's LLM key does not open: " + refused.getMessage()));
    }

    private static Map<String, String> headers(Optional<String> key) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        key.ifPresent(value -> headers.put("Authorization", "Bearer " + value));
        return headers;
    }

    private Uni<Void> conclude(JobRun run, ModelEndpoint endpoint, CheckedDestination to, BudgetClient.Hold hold,
            ModelCall.Concluded concluded) {
        String held = concluded.settlement().map(settled -> "hold " + hold.holdId() + " settled at "
                + settled.inputTokens() + " input and " + settled.outputTokens() + " output tokens, "
                + settled.costMicros() + " micro-USD" + (concluded.estimated() ? " (estimated: the worst case)" : ""))
                .orElse("hold " + hold.holdId() + " released");
        Exchange exchange = concluded.exchange();
        if (exchange instanceof Exchange.NotConnected notConnected) {
            return Uni.createFrom().failure(new ModelUnavailableException("the model endpoint " + to.host()
                    + " could not be reached (" + notConnected.cause().getClass().getSimpleName() + "); " + held));
        }
        if (exchange instanceof Exchange.NoAnswer noAnswer) {
            return Uni.createFrom().failure(new ModelUnavailableException("no complete answer from the model"
                    + " endpoint " + to.host() + " within " + config.modelTimeout() + " ("
                    + noAnswer.cause().getClass().getSimpleName() + "); " + held));
        }
        Exchange.Answered answered = (Exchange.Answered) exchange;
        if (answered.status() / 100 != 2) {
            // the provider's body is not repeated: it may echo part of the key
            String what = "the model endpoint " + to.host() + " answered " + answered.status() + "; " + held;
            return Uni.createFrom().failure(retryable(answered.status()) ? new ModelUnavailableException(what)
                    : new AnalysisFailure(AnalysisFailure.PROVIDER_REFUSED, what));
        }
        AnalysisAnswer.Checked checked = answers.check(concluded.reply().content().orElse(null));
        if (!checked.valid()) {
            String cut = concluded.reply().finishReason().filter("length"::equals)
                    .map(reason -> " (cut at max_tokens)").orElse("");
            return Uni.createFrom().failure(new AnalysisFailure(AnalysisFailure.INVALID_MODEL_OUTPUT,
                    "the answer does not match the analysis schema" + cut + ": " + String.join("; ",
                            checked.problems()) + "; " + held));
        }
        BudgetClient.Settlement settled = concluded.settlement().orElseThrow();
        JsonNode answer = checked.answer();
        AnalysisWrite.Completed analysis = new AnalysisWrite.Completed(endpoint.provider(), endpoint.model(),
                settled.inputTokens(), settled.outputTokens(), settled.costMicros(), hold.holdId(),
                concluded.estimated(), answer.toString());
        ObjectNode event = json.createObjectNode().put("jobId", run.jobId().toString())
                .put("model", endpoint.model()).put("costMicros", settled.costMicros())
                .put("usageEstimated", concluded.estimated()).put("findings", answer.path("findings").size())
                .put("recommendations", answer.path("recommendations").size());
        return run.inTenant(connection -> store.completed(connection, run.tenant(), run.jobId(), analysis,
                clock.instant()).chain(
                        () -> notifications.enqueue(connection, run.tenant(), COMPLETED_EVENT,
                                "analysis:" + run.jobId(), event)))
                .invoke(() -> LOG.infof("%s job %s completed: %d findings, %d recommendations", TYPE, run.jobId(),
                        answer.path("findings").size(), answer.path("recommendations").size()));
    }

    /** Throttled, timed out or failing on the provider's side: another attempt may get an answer. */
    private static boolean retryable(int status) {
        return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
    }

    private Uni<Void> skip(JobRun run, String reason) {
        LOG.infof("%s job %s skipped: %s", TYPE, run.jobId(), reason);
        return run.inTenant(connection -> store.skipped(connection, run.tenant(), run.jobId(), reason,
                clock.instant()));
    }

    private static Optional<String> focus(JobRun run) {
        JsonNode focus = run.payload().path("focus");
        return focus.isTextual() ? Optional.of(focus.asText()) : Optional.empty();
    }

    /** A destination the guard refused: fatal, but a name that does not resolve now may resolve later. */
    private static Throwable refusedDestination(Throwable failure) {
        DestinationRefusedException refused = (DestinationRefusedException) failure;
        if ("unresolvable".equals(refused.reason())) {
            return new ModelUnavailableException("the model endpoint does not resolve: " + refused.getMessage());
        }
        return new AnalysisFailure(AnalysisFailure.DESTINATION_REFUSED, refused.reason() + ": "
                + refused.getMessage());
    }
}
