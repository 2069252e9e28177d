package io.cloudsentinel.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The SHA-256 (lower-case hex) of a job request's canonical form: type, payload with its object keys sorted at every
 * depth, priority, and the requested run time. Two requests under one dedup key with the same hash are the same
 * request sent twice; a different hash means the key was reused for another request. The run time is hashed as it
 * was requested — absent stays absent — because a default of "now" would differ on every redelivery.
 */
public final class RequestHash {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RequestHash() {
    }

    public static String of(String type, JsonNode payload, int priority, Optional<Instant> runAt) {
        ArrayNode canonical = NODES.arrayNode().add(type).add(sorted(payload)).add(priority)
                .add(runAt.map(Instant::toString).orElse(null));
        try {
            return sha256(JSON.writeValueAsString(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload cannot be written as JSON", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode copy = NODES.objectNode();
            names.forEach(name -> copy.set(name, sorted(node.get(name))));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            for (Iterator<JsonNode> elements = node.elements(); elements.hasNext();) {
                copy.add(sorted(elements.next()));
            }
            return copy;
        }
        return node;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
