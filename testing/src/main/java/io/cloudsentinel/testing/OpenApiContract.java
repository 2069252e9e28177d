package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every service's OpenAPI document must say, checked the same way in each: a summary and a description per
 * operation, its success with a schema, and its error answers as the one {@code Problem} schema.
 */
public final class OpenApiContract {

    public static final String PROBLEM = "#/components/schemas/Problem";

    private final JsonNode document;

    private OpenApiContract(JsonNode document) {
        this.document = document;
    }

    /** The document as {@code /q/openapi?format=json} serves it. */
    public static OpenApiContract of(String json) {
        try {
            return new OpenApiContract(new ObjectMapper().readTree(json));
        } catch (JsonProcessingException e) {
            throw new AssertionError("the OpenAPI document is not JSON", e);
        }
    }

    public JsonNode operation(String method, String path) {
        return document.path("paths").path(path).path(method);
    }

    /**
     * Checks every operation: a summary of more than one word (neither the verb nor a method name such as "Check"
     * stands in for one), a description, its 2xx answers with a schema (but 204), and 401 and 500 — and 415 when it
     * takes a body — as problems, which platform can answer to any call. Returns the operations as "METHOD path".
     */
    public List<String> documentedOperations() {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                JsonNode op = operation.getValue();
                assertThat(op.path("summary").asText().trim().split("\\s+")).as(name).hasSizeGreaterThan(1);
                assertThat(op.path("description").asText()).as(name).isNotBlank();
                assertSuccessWithItsSchema(op, name);
                assertProblem(op, "401");
                assertProblem(op, "500");
                if (op.has("requestBody")) {
                    assertProblem(op, "415");
                }
                checked.add(name);
            }
        }
        return checked;
    }

    /** The operation answers this status with the {@code Problem} schema as application/problem+json. */
    public void assertProblem(JsonNode operation, String status) {
        assertThat(operation.at("/responses/" + status + "/content/application~1problem+json/schema/$ref").asText())
                .as(operation.path("summary").asText() + " answers " + status + " as a problem").isEqualTo(PROBLEM);
    }

    /** The {@code Problem} schema has the members of RFC 9457 and room for extension members. */
    public void assertProblemSchema() {
        JsonNode problem = document.at("/components/schemas/Problem");
        assertThat(problem.path("properties").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");
        assertThat(problem.path("additionalProperties").asBoolean()).isTrue();
    }

    private static void assertSuccessWithItsSchema(JsonNode operation, String name) {
        List<String> successes = operation.path("responses").properties().stream().map(Map.Entry::getKey)
                .filter(status -> status.startsWith("2")).toList();
        assertThat(successes).as(name).isNotEmpty();
        for (String status : successes) {
            assertThat(operation.at("/responses/" + status + "/content/application~1json/schema").isObject())
                    .as(name + " answers " + status + " with a schema").isEqualTo(!status.equals("204"));
        }
    }
}
