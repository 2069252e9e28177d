package io.cloudsentinel.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Merges the services' OpenAPI documents into the one public document of the gateway: each service contributes the
 * paths under its route prefixes (health and other internal paths are left out), tagged with the service's name, and
 * its schemas. Two services' schemas of one name that differ are both kept, the later one renamed
 * {@code <service>_<name>} with its references rewritten. The document declares the bearer JWT the gateway checks.
 * Hand-written because no library merges OpenAPI documents; it is a tree walk over Jackson nodes.
 */
final class OpenApiMerge {

    private static final String SCHEMA_REF = "#/components/schemas/";
    private static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

    /** A service's document and the prefixes the gateway routes to it. */
    record ServiceDocument(String service, List<String> prefixes, JsonNode document) {
    }

    private OpenApiMerge() {
    }

    static ObjectNode merge(List<ServiceDocument> services, List<String> unavailable) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode merged = nodes.objectNode();
        merged.put("openapi", services.stream().map(s -> s.document().path("openapi").asText(null))
                .filter(v -> v != null).findFirst().orElse("3.0.3"));
        merged.putObject("info").put("title", "CloudSentinel API").put("version", "v1").put("description",
                "Every call goes through the gateway with a bearer token (JWT) of your tenant.");
        merged.putArray("servers").addObject().put("url", "/");
        ObjectNode paths = merged.putObject("paths");
        ObjectNode components = merged.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("bearerFormat", "JWT");
        merged.putArray("security").addObject().putArray("bearer");
        ArrayNode tags = merged.putArray("tags");

        for (ServiceDocument service : services) {
            tags.addObject().put("name", service.service());
            Map<String, String> renames = new HashMap<>();
            JsonNode own = service.document().path("components").path("schemas");
            for (Iterator<String> names = own.fieldNames(); names.hasNext();) {
                String name = names.next();
                JsonNode existing = schemas.get(name);
                if (existing != null && !existing.equals(own.get(name))) {
                    renames.put(name, service.service() + "_" + name);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = own.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> schema = it.next();
                schemas.set(renames.getOrDefault(schema.getKey(), schema.getKey()),
                        rewriteRefs(schema.getValue().deepCopy(), renames));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = service.document().path("paths").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> path = it.next();
                if (!owned(path.getKey(), service.prefixes()) || paths.has(path.getKey())) {
                    continue;
                }
                ObjectNode item = (ObjectNode) rewriteRefs(path.getValue().deepCopy(), renames);
                item.fields().forEachRemaining(operation -> {
                    if (operation.getValue() instanceof ObjectNode op) {
                        op.set("tags", nodes.arrayNode().add(service.service()));
                        addEdgeAnswers(op);
                    }
                });
                paths.set(path.getKey(), item);
            }
        }
        if (schemas.has("Problem")) {
            paths.forEach(item -> item.forEach(op -> op.path("responses").forEach(response -> {
                if (response instanceof ObjectNode answer && answer.path("x-edge").asBoolean()) {
                    answer.remove("x-edge");
                    answer.putObject("content").putObject(PROBLEM_MEDIA_TYPE).putObject("schema")
                            .put("$ref", SCHEMA_REF + "Problem");
                }
            })));
        } else {
            paths.forEach(item -> item.forEach(op -> op.path("responses")
                    .forEach(response -> ((ObjectNode) response).remove("x-edge"))));
        }
        if (!unavailable.isEmpty()) {
            ArrayNode missing = merged.putArray("x-unavailable-services");
            unavailable.forEach(missing::add);
        }
        return merged;
    }

    /**
     * What the gateway itself answers to any call before a service sees it: a service's 401 is about the signed
     * context, which a client never sends, so the edge's own (the bearer token) replaces it.
     */
    private static void addEdgeAnswers(ObjectNode operation) {
        ObjectNode responses = operation.withObjectProperty("responses");
        responses.putObject("401").put("description", "No bearer token, or one that is not valid (unauthenticated)")
                .put("x-edge", true);
        responses.putObject("429").put("description", "This tenant's request rate is above its limit (rate-limited);"
                + " Retry-After says when to try again").put("x-edge", true);
        responses.putObject("503").put("description", "The service behind this path is not deployed, does not answer,"
                + " or failed repeatedly (upstream-unavailable, service-not-deployed, upstream-circuit-open)")
                .put("x-edge", true);
        responses.putObject("504").put("description", "The service did not answer in time (upstream-timeout)")
                .put("x-edge", true);
    }

    private static boolean owned(String path, List<String> prefixes) {
        return prefixes.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    private static JsonNode rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return node;
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (name.equals("$ref") && value.isTextual() && value.asText().startsWith(SCHEMA_REF)) {
                    String target = value.asText().substring(SCHEMA_REF.length());
                    if (renames.containsKey(target)) {
                        object.set(name, TextNode.valueOf(SCHEMA_REF + renames.get(target)));
                    }
                } else {
                    rewriteRefs(value, renames);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(element -> rewriteRefs(element, renames));
        }
        return node;
    }
}
