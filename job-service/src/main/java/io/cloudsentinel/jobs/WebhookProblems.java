package io.cloudsentinel.jobs;

import java.net.URI;
import java.util.List;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;

/** The problems of a tenant's webhook settings. */
public final class WebhookProblems {

    public static final URI DESTINATION_REFUSED = ProblemTypes.of("destination-refused");
    public static final URI UNKNOWN_EVENT_TYPE = ProblemTypes.of("unknown-event-type");
    public static final URI WEBHOOK_NOT_FOUND = ProblemTypes.of("webhook-not-found");

    private WebhookProblems() {
    }

    /** {@code detail} says which host or address and why, never the URL's path, query or credentials. */
    public static ProblemException destinationRefused(String reason, String detail) {
        return new ProblemException(Problem.of(DESTINATION_REFUSED, 422, "Destination refused",
                "the webhook URL is refused: " + detail).with("reason", reason));
    }

    public static ProblemException unknownEventTypes(List<String> unknown) {
        return new ProblemException(Problem.of(UNKNOWN_EVENT_TYPE, 422, "Unknown event type",
                "no such event type: " + String.join(", ", unknown) + "; known: "
                        + String.join(", ", WebhookEvents.KNOWN))
                .with("unknownEventTypes", List.copyOf(unknown))
                .with("knownEventTypes", List.copyOf(WebhookEvents.KNOWN)));
    }

    public static ProblemException notFound() {
        return new ProblemException(Problem.of(WEBHOOK_NOT_FOUND, 404, "Webhook not found",
                "the tenant has no webhook"));
    }
}
