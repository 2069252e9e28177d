package io.cloudsentinel.platform.outbox;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes an event into the outbox inside the caller's transaction (the connection a {@code TenantTransactions} call
 * handed out), so it is published if and only if the business change commits. Never persist-then-send. A change that
 * must be announced is therefore made in SQL on that same connection, not through an entity session.
 */
@ApplicationScoped
public class OutboxWriter {

    private final ObjectMapper json;

    public OutboxWriter(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Void> append(SqlClient connection, OutboxMessage message) {
        return connection.preparedQuery("""
                INSERT INTO cs_outbox (tenant_id, topic, record_key, headers, payload)
                VALUES ($1, $2, $3, CAST(CAST($4 AS text) AS jsonb), $5)
                """)
                .execute(Tuple.of(message.headers().tenant().value(), message.topic(), message.key(),
                        headersJson(message.headers()), message.payload()))
                .replaceWithVoid();
    }

    private String headersJson(EventHeaders headers) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(EventHeaders.TENANT_ID, headers.tenant().toString());
        values.put(EventHeaders.EVENT_ID, headers.eventId().toString());
        headers.traceparent().ifPresent(traceparent -> values.put(EventHeaders.TRACEPARENT, traceparent));
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("header map always serializes", e);
        }
    }
}
