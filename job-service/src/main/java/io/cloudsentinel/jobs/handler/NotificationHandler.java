package io.cloudsentinel.jobs.handler;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudsentinel.jobs.Webhook;
import io.cloudsentinel.jobs.WebhookEvents;
import io.cloudsentinel.jobs.WebhookSecret;
import io.cloudsentinel.jobs.config.NotificationConfig;
import io.cloudsentinel.jobs.service.Notifications;
import io.cloudsentinel.jobs.service.WebhookSettingsReader;
import io.cloudsentinel.platform.crypto.SecretRefusedException;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.egress.CheckedDestination;
import io.cloudsentinel.platform.egress.DestinationGuard;
import io.cloudsentinel.platform.egress.DestinationPolicy;
import io.cloudsentinel.platform.egress.DestinationRefusedException;
import io.cloudsentinel.platform.egress.EgressClient;
import io.cloudsentinel.platform.egress.HostResolver;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * Delivers a notification to the tenant's webhook in the Standard Webhooks form: a POST of
 * {@code {type, timestamp, data}} with {@code webhook-id} (the event id, the same on every retry),
 * {@code webhook-timestamp} (this attempt's) and {@code webhook-signature} (one per valid secret, so both during a
 * rotation's grace). The URL is checked on every attempt ({@link DestinationGuard}: one lookup, every address
 * checked, the request sent to the checked one) and no redirect is followed. A webhook gone, or no longer subscribed
 * to the event, ends the job with nothing sent.
 */
@ApplicationScoped
public class NotificationHandler implements JobHandler {

    public static final String TYPE = Notifications.JOB_TYPE;
    private static final Logger LOG = Logger.getLogger(NotificationHandler.class);

    /** A notification as its job holds it. */
    record Notice(String type, String eventId, Instant occurredAt, JsonNode data) {
    }

    private final WebhookSettingsReader webhooks;
    private final TenantSecrets secrets;
    private final DestinationGuard guard;
    private final EgressClient egress;
    private final ObjectMapper json;
    private final Clock clock;
    private final NotificationConfig config;

    public NotificationHandler(WebhookSettingsReader webhooks, TenantSecrets secrets, HostResolver resolver,
            Vertx vertx, ObjectMapper json, Clock clock, NotificationConfig config) {
        this.webhooks = webhooks;
        this.secrets = secrets;
        this.guard = new DestinationGuard(new DestinationPolicy(config.allowPrivate(),
                config.allowedHosts().orElse(List.of())), resolver);
        this.egress = new EgressClient(vertx);
        this.json = json;
        this.clock = clock;
        this.config = config;
    }

    @PreDestroy
    void close() {
        egress.close();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String payloadSchema() {
        String events = WebhookEvents.KNOWN.stream().map(event -> "\"" + event + "\"")
                .collect(Collectors.joining(", "));
        return """
                {"type": "object", "required": ["type", "eventId", "occurredAt", "data"],
                 "properties": {
                   "type": {"enum": [%s]},
                   "eventId": {"type": "string", "pattern": "^[!-~]{1,200}$"},
                   "occurredAt": {"type": "string", "minLength": 1, "maxLength": 64},
                   "data": {"type": "object"}}}
                """.formatted(events);
    }

    @Override
    public Uni<Void> run(JobRun run) {
        Notice notice = notice(run.payload());
        return run.inTenant(webhooks::find).chain(found -> {
            Optional<Webhook> webhook = found.filter(hook -> hook.events().contains(notice.type()));
            if (webhook.isEmpty()) {
                LOG.debugf("notification job %s: no webhook subscribes to %s any more, nothing sent", run.jobId(),
                        notice.type());
                return Uni.createFrom().voidItem();
            }
            return deliver(run, notice, webhook.get());
        });
    }

    private Uni<Void> deliver(JobRun run, Notice notice, Webhook webhook) {
        // a DNS lookup blocks: off the event loop
        return Uni.createFrom().item(() -> checked(webhook))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(to -> signingSecrets(run.tenant(), webhook).chain(keys -> send(run, notice, to, keys)));
    }

    private CheckedDestination checked(Webhook webhook) {
        try {
            return guard.check(webhook.url());
        } catch (DestinationRefusedException refused) {
            throw new FatalJobException("the webhook destination is refused (" + refused.reason() + "): "
                    + refused.getMessage());
        }
    }

    /** The current secret, and the previous one while its grace lasts. */
    private Uni<List<String>> signingSecrets(TenantId tenant, Webhook webhook) {
        Uni<String> current = open(tenant, webhook.secretCiphertext());
        boolean previousValid = webhook.previousSecretCiphertext().isPresent()
                && webhook.previousValidUntil().map(until -> until.isAfter(clock.instant())).orElse(false);
        if (!previousValid) {
            return current.map(List::of);
        }
        return Uni.combine().all().unis(current, open(tenant, webhook.previousSecretCiphertext().get())).asTuple()
                .map(both -> List.of(both.getItem1(), both.getItem2()));
    }

    private Uni<String> open(TenantId tenant, String ciphertext) {
        return secrets.open(tenant, WebhookSecret.PURPOSE, ciphertext).onFailure(SecretRefusedException.class)
                .transform(refused -> new FatalJobException("the webhook secret does not open: "
                        + refused.getMessage()));
    }

    private Uni<Void> send(JobRun run, Notice notice, CheckedDestination to, List<String> keys) {
        byte[] body = body(notice);
        long timestamp = clock.instant().getEpochSecond();
        String signature;
        try {
            signature = WebhookSignature.header(keys, notice.eventId(), timestamp, body);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new FatalJobException(e.getMessage()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "CloudSentinel-Webhooks/1");
        headers.put("webhook-id", notice.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature);
        return egress.send(to, "POST", headers, body, config.timeout(), config.maxResponseBytes())
                .chain(exchange -> {
                    Optional<RuntimeException> failure = DeliveryOutcome.failure(exchange, to.host(),
                            clock.instant(), config.maxRetryAfter());
                    if (failure.isPresent()) {
                        return Uni.createFrom().failure(failure.get());
                    }
                    LOG.debugf("notification job %s: %s %s delivered to %s", run.jobId(), notice.type(),
                            notice.eventId(), to.host());
                    return Uni.createFrom().voidItem();
                });
    }

    /** {@code {type, timestamp, data}}, the same bytes on every attempt. */
    private byte[] body(Notice notice) {
        ObjectNode body = json.createObjectNode().put("type", notice.type())
                .put("timestamp", notice.occurredAt().toString());
        body.set("data", notice.data());
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new FatalJobException("the notification's data cannot be written as JSON");
        }
    }

    private static Notice notice(JsonNode payload) {
        try {
            return new Notice(payload.path("type").asText(), payload.path("eventId").asText(),
                    Instant.parse(payload.path("occurredAt").asText()), payload.path("data"));
        } catch (DateTimeParseException e) {
            throw new FatalJobException("occurredAt is not an ISO-8601 instant");
        }
    }
}
