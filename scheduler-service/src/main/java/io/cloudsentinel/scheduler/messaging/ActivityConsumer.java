package io.cloudsentinel.scheduler.messaging;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.kafka.InvalidEventHeadersException;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.scheduler.service.ActivityRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Consumes {@code tenants.activity}: {@code {"schemaVersion":1,"tenantId":"…","occurredAt":"…"}}, keyed by tenant,
 * with the tenant taken from the record's {@code tenant-id} header. A record that cannot be understood, or that the
 * database refuses for good, is counted and skipped: activity is a hint, and one bad record must not stop the
 * partition. A database that is away is retried with backoff until it is back. Replays are harmless because applying
 * an activity is idempotent and monotonic.
 */
@ApplicationScoped
public class ActivityConsumer {

    private static final Logger LOG = Logger.getLogger(ActivityConsumer.class);
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

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
                .replaceWithVoid()
                // a database that is away is waited for: the record is neither lost nor skipped
                .onFailure(PgErrors::mayPassOnRetry).invoke(failure -> LOG.warnf(
                        "could not apply the tenants.activity record at %s-%d@%d, retrying: %s", record.topic(),
                        record.partition(), record.offset(), failure.toString()))
                .onFailure(PgErrors::mayPassOnRetry).retry().withBackOff(RETRY_FIRST, RETRY_MAX)
                .withJitter(0.2).atMost(Long.MAX_VALUE)
                // one the database refuses for good is counted and skipped, like a record that cannot be read
                .onFailure().recoverWithUni(failure -> {
                    registry.counter("cs.scheduler.activity.failed").increment();
                    LOG.errorf("skipped tenants.activity record at %s-%d@%d, the database refused it: %s",
                            record.topic(), record.partition(), record.offset(), failure.toString());
                    return Uni.createFrom().voidItem();
                });
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
