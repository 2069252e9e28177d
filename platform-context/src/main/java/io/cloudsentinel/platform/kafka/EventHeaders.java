package io.cloudsentinel.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * The headers every CloudSentinel record carries: {@code tenant-id} (whose work it is), {@code event-id} (what
 * consumers deduplicate by) and {@code traceparent} (W3C trace context, when there is one). Works with plain Kafka
 * clients and with SmallRye's {@code IncomingKafkaRecordMetadata.getHeaders()} / {@code OutgoingKafkaRecordMetadata}.
 */
public record EventHeaders(TenantId tenant, UUID eventId, Optional<String> traceparent) {

    public static final String TENANT_ID = "tenant-id";
    public static final String EVENT_ID = "event-id";
    public static final String TRACEPARENT = "traceparent";

    private static final Pattern W3C_TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    public EventHeaders {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        traceparent = traceparent.filter(value -> W3C_TRACEPARENT.matcher(value).matches());
    }

    /** Headers of a new event with a fresh event id. */
    public static EventHeaders newEvent(TenantId tenant, String traceparent) {
        return new EventHeaders(tenant, UUID.randomUUID(), Optional.ofNullable(traceparent));
    }

    /** Replaces any earlier values of the three headers. */
    public Headers writeTo(Headers headers) {
        put(headers, TENANT_ID, tenant.toString());
        put(headers, EVENT_ID, eventId.toString());
        headers.remove(TRACEPARENT);
        traceparent.ifPresent(value -> headers.add(TRACEPARENT, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /**
     * @throws InvalidEventHeadersException when tenant-id or event-id is missing or not a UUID; an invalid
     *         traceparent is dropped, not fatal
     */
    public static EventHeaders readFrom(Headers headers) throws InvalidEventHeadersException {
        String tenant = last(headers, TENANT_ID)
                .orElseThrow(() -> new InvalidEventHeadersException("record has no " + TENANT_ID + " header"));
        String eventId = last(headers, EVENT_ID)
                .orElseThrow(() -> new InvalidEventHeadersException("record has no " + EVENT_ID + " header"));
        try {
            return new EventHeaders(TenantId.parse(tenant), UUID.fromString(eventId), last(headers, TRACEPARENT));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventHeadersException("record headers are malformed: " + e.getMessage());
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> last(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
