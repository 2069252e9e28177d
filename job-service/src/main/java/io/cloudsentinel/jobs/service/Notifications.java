package io.cloudsentinel.jobs.service;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudsentinel.jobs.RequestHash;
import io.cloudsentinel.jobs.WebhookEvents;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tracing.SpanTrace;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Queues a {@code notification} job for an event when the tenant's webhook subscribed to its type, in the caller's
 * transaction: the notification exists if and only if what it announces commits. Its dedup key is
 * {@code event:<eventId>}, so the same event queued twice (a redelivered record) is one notification. The job's
 * payload is {@code {type, eventId, occurredAt, data}}; the {@code notification} handler delivers it.
 */
@ApplicationScoped
public class Notifications {

    public static final String JOB_TYPE = "notification";
    /** The jobs' source: queued by this service, neither requested through the API nor read from Kafka. */
    static final String SOURCE = "event";

    /** The webhooks of these tenants and what they subscribed to; RLS or the system task's grant bounds the rows. */
    private static final String SUBSCRIPTIONS = """
            SELECT tenant_id, events FROM webhook_settings WHERE tenant_id = ANY ($1::uuid[])
            """;

    /** An event of one tenant to notify. */
    public record Event(TenantId tenant, String type, String eventId, JsonNode data) {

        public Event {
            if (!WebhookEvents.known(type)) {
                throw new IllegalArgumentException("not a webhook event type: " + type);
            }
        }
    }

    private final JobIntake intake;
    private final JobsConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    public Notifications(JobIntake intake, JobsConfig config, ObjectMapper json, Clock clock) {
        this.intake = intake;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** One event in the tenant's transaction; nothing when the tenant's webhook does not subscribe to its type. */
    public Uni<Void> enqueue(SqlConnection tenantTransaction, TenantId tenant, String eventType, String eventId,
            JsonNode data) {
        return enqueueAll(tenantTransaction, List.of(new Event(tenant, eventType, eventId, data)));
    }

    /**
     * Events of any tenants the connection may read the webhooks of (a system task's end of many jobs), in two
     * statements at most.
     */
    public Uni<Void> enqueueAll(SqlClient connection, List<Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] tenants = events.stream().map(event -> event.tenant().value()).distinct().toArray(UUID[]::new);
        return connection.preparedQuery(SUBSCRIPTIONS).execute(Tuple.tuple().addArrayOfUUID(tenants))
                .chain(rows -> {
                    Map<UUID, Set<String>> subscribed = new HashMap<>();
                    for (Row row : rows) {
                        subscribed.put(row.getUUID("tenant_id"), Set.of(row.getArrayOfStrings("events")));
                    }
                    Instant now = clock.instant();
                    List<JobIntake.NewJob> jobs = events.stream()
                            .filter(event -> subscribed.getOrDefault(event.tenant().value(), Set.of())
                                    .contains(event.type()))
                            .map(event -> notification(event, now)).toList();
                    // a taken dedup key is the same event queued before: submitAll then inserts nothing
                    return jobs.isEmpty() ? Uni.createFrom().voidItem()
                            : intake.submitAll(connection, jobs, now).replaceWithVoid();
                });
    }

    private JobIntake.NewJob notification(Event event, Instant now) {
        ObjectNode payload = json.createObjectNode().put("type", event.type()).put("eventId", event.eventId())
                .put("occurredAt", now.toString());
        payload.set("data", event.data() == null ? json.createObjectNode() : event.data());
        String text;
        try {
            text = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the event's data cannot be written as JSON", e);
        }
        return new JobIntake.NewJob(event.tenant(), UUID.randomUUID(), JOB_TYPE, "event:" + event.eventId(),
                RequestHash.of(JOB_TYPE, payload, 0, Optional.empty()), SOURCE, text, 0, now,
                config.types().get(JOB_TYPE).maxAttempts(), SpanTrace.current());
    }
}
