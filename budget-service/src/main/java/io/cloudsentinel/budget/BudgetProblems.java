package io.cloudsentinel.budget;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;

/** The problems budget-service answers with, beyond the platform's. */
public final class BudgetProblems {

    public static final URI BUDGET_EXCEEDED = ProblemTypes.of("budget-exceeded");
    public static final URI UNKNOWN_MODEL = ProblemTypes.of("unknown-model");
    public static final URI HOLD_NOT_FOUND = ProblemTypes.of("hold-not-found");
    public static final URI HOLD_SETTLED = ProblemTypes.of("hold-settled");
    public static final URI IDEMPOTENCY_KEY_REUSED = ProblemTypes.of("idempotency-key-reused");
    public static final URI LLM_SETTINGS_NOT_FOUND = ProblemTypes.of("llm-settings-not-found");
    public static final URI UNKNOWN_PROVIDER = ProblemTypes.of("unknown-provider");
    public static final URI DESTINATION_REFUSED = ProblemTypes.of("destination-refused");
    public static final URI LEGACY_KEY_REFUSED = ProblemTypes.of("legacy-key-refused");

    private BudgetProblems() {
    }

    public static ProblemException budgetExceeded(Window window, long limit, WindowState state, long requested,
            Instant resetAt, Instant now) {
        Problem problem = Problem.of(BUDGET_EXCEEDED, 402, "Budget exceeded",
                "the " + window.name().toLowerCase(java.util.Locale.ROOT) + " budget has "
                        + state.remaining(limit) + " micro-USD left; this call may cost up to " + requested)
                .with("window", window.name())
                .with("limitMicros", limit)
                .with("spentMicros", state.spentMicros())
                .with("reservedMicros", state.reservedMicros())
                .with("requestedMicros", requested)
                .with("remainingMicros", state.remaining(limit))
                .with("resetAt", resetAt.toString());
        long retryAfter = Math.max(1, Duration.between(now, resetAt).toSeconds());
        return new ProblemException(problem, Map.of("Retry-After", Long.toString(retryAfter)));
    }

    public static ProblemException unknownModel(String model, List<String> known) {
        return new ProblemException(Problem.of(UNKNOWN_MODEL, 422, "Unknown model",
                "model '" + model + "' has no price in force").with("model", model).with("knownModels", known));
    }

    public static ProblemException holdNotFound(UUID id) {
        return new ProblemException(Problem.of(HOLD_NOT_FOUND, 404, "Hold not found", "no hold " + id));
    }

    public static ProblemException holdSettled(UUID id) {
        return new ProblemException(Problem.of(HOLD_SETTLED, 409, "Hold already settled",
                "hold " + id + " was settled; its cost is charged and cannot be released"));
    }

    public static ProblemException idempotencyKeyReused(String key) {
        return new ProblemException(Problem.of(IDEMPOTENCY_KEY_REUSED, 422, "Idempotency key reused",
                "idempotency key '" + key + "' was used for a different model or token counts"));
    }

    public static ProblemException llmSettingsNotFound() {
        return new ProblemException(Problem.of(LLM_SETTINGS_NOT_FOUND, 404, "LLM settings not found",
                "the tenant has stored no LLM settings"));
    }

    public static ProblemException unknownProvider(String provider, List<String> known) {
        return new ProblemException(Problem.of(UNKNOWN_PROVIDER, 422, "Unknown provider",
                "provider '" + provider + "' is not one this service knows").with("provider", provider)
                .with("knownProviders", known));
    }

    /** @param reason the destination guard's code ({@code private}, {@code scheme-not-allowed}, ...) */
    public static ProblemException destinationRefused(String reason, String why) {
        return new ProblemException(Problem.of(DESTINATION_REFUSED, 422, "Destination refused",
                "baseUrl: " + why).with("field", "baseUrl").with("reason", reason));
    }

    public static ProblemException legacyKeyRefused() {
        return new ProblemException(Problem.of(LEGACY_KEY_REFUSED, 422, "Legacy key refused",
                "crypto-service could not open the legacy token with its legacy keys (LEGACY_ENCRYPTION_KEYS);"
                        + " nothing was stored")
                .with("field", "legacyApiKey"));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(ProblemTypes.VALIDATION_FAILED, 400, "Validation failed",
                "1 field(s) are not valid").with("violations", List.of(Map.of("field", field, "message", message))));
    }
}
