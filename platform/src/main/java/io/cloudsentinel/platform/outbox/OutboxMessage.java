package io.cloudsentinel.platform.outbox;

import java.util.Objects;

import io.cloudsentinel.platform.kafka.EventHeaders;

/** An event to publish once the transaction that wrote it commits. Key = tenant id unless a topic says otherwise. */
public record OutboxMessage(String topic, String key, EventHeaders headers, String payload) {

    public OutboxMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(payload, "payload");
    }

    /** The usual case: keyed by the tenant, so one tenant's events keep their order. */
    public static OutboxMessage forTenant(String topic, EventHeaders headers, String payload) {
        return new OutboxMessage(topic, headers.tenant().toString(), headers, payload);
    }
}
