package io.cloudsentinel.jobs;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

/**
 * Each job type's JSON Schema for its payloads (draft 2020-12 unless the schema names another), compiled once when the
 * service starts: a schema that does not compile stops the start, naming its type. Ingestion and the API check every
 * payload against its type's schema before anything is stored.
 */
public final class PayloadSchemas {

    /** What a handler that says nothing of its payloads accepts. */
    public static final String ANY_OBJECT = "{\"type\": \"object\"}";
    /** Problems reported for one payload at most: enough to fix it, short enough for a header and a log line. */
    static final int MAX_PROBLEMS = 5;

    private final Map<String, Schema> schemas = new TreeMap<>();

    /** @param byType each type's schema, as JSON text */
    public PayloadSchemas(Map<String, String> byType) {
        // locations as JSON paths ($.a.b[0]), which read as the payload's own fields
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        byType.forEach((type, text) -> {
            try {
                Schema schema = registry.getSchema(text);
                schema.initializeValidators();
                schemas.put(type, schema);
            } catch (RuntimeException e) {
                throw new IllegalStateException("the payload schema of job type " + type + " does not compile: "
                        + e.getMessage(), e);
            }
        });
    }

    /** What is wrong with the payload for its type, at most {@link #MAX_PROBLEMS}; empty when it is valid. */
    public List<String> problems(String type, JsonNode payload) {
        Schema schema = schemas.get(type);
        if (schema == null) {
            throw new IllegalArgumentException("no payload schema for job type " + type);
        }
        List<Error> errors = schema.validate(payload,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
        return errors.stream().limit(MAX_PROBLEMS).map(PayloadSchemas::described).toList();
    }

    /** "payload.holdMillis: must have a maximum value of 60000": the location inside the payload, then the rule. */
    private static String described(Error error) {
        String at = error.getInstanceLocation() == null ? "$" : error.getInstanceLocation().toString();
        return "payload" + (at.startsWith("$") ? at.substring(1) : "." + at) + ": " + error.getMessage();
    }
}
