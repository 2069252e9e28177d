package io.cloudsentinel.scheduler.messaging;

import java.time.DateTimeException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.kafka.InvalidEventHeadersException;
import io.cloudsentinel.scheduler.service.ActivityRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Consumes {@code tenants.activity}: {@code {"schemaVersion":1,"tenantId":"…","occurredAt":"…"}}, keyed by tenant,
 * with the tenant taken from the record's {@code tenant-id} header. A record that cannot be understood is counted
 * and skipped: activity is a hint, and one bad record must not stop the partition. Replays are harmless because
 * applying an activity is idempotent and monotonic.
 */
@ApplicationScoped
public class ActivityConsumer {

    private static final Logger LOG = Logger.getLogger(ActivityConsumer.class);

    private final ActivityRecorder recorder;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    public ActivityConsumer(ActivityRecorder recorder, ObjectMapper json, MeterRegistry registry) {
        this.recorder = recorder;
        this.json = json;
        this.registry = registry;
    }

    @Incoming("tenants-activity")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        EventHeaders headers;
        Instant occurredAt;
        try {
            headers = EventHeaders.readFrom(record.headers());
            occurredAt = occurredAt(record.value(), headers);
        } catch (InvalidEventHeadersException | InvalidActivityException e) {
            registry.counter("cs.scheduler.activity.rejected").increment();
            LOG.warnf("skipped tenants.activity record at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return recorder.record(headers.tenant(), occurredAt)
                .invoke(() -> registry.counter("cs.scheduler.activity.applied").increment())
                .replaceWithVoid();
    }

    private Instant occurredAt(String value, EventHeaders headers) throws InvalidActivityException {
        JsonNode event;
        try {
            event = value == null ? null : json.readTree(value);
        } catch (java.io.IOException e) {
            throw new InvalidActivityException("value is not JSON");
        }
        if (event == null || !event.isObject()) {
            throw new InvalidActivityException("value is not a JSON object");
        }
        if (event.path("schemaVersion").asInt(0) != 1) {
            throw new InvalidActivityException("schemaVersion must be 1");
        }
        JsonNode tenant = event.path("tenantId");
        if (!tenant.isMissingNode() && !headers.tenant().toString().equals(tenant.asText())) {
            throw new InvalidActivityException("tenantId of the value differs from the tenant-id header");
        }
        try {
            return Instant.parse(event.path("occurredAt").asText());
        } catch (DateTimeException e) {
            throw new InvalidActivityException("occurredAt must be an ISO-8601 instant");
        }
    }

    static final class InvalidActivityException extends Exception {

        InvalidActivityException(String message) {
            super(message, null, false, false);
        }
    }
}
