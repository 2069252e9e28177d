package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Job payloads against their type's JSON Schema, without Quarkus. */
class PayloadSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PayloadSchemas SCHEMAS = new PayloadSchemas(Map.of(
            "report", """
                    {"type": "object", "required": ["month"], "additionalProperties": false,
                     "properties": {"month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                                    "copies": {"type": "integer", "minimum": 1, "maximum": 10},
                                    "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"},
                                    "d": {"type": "string"}, "e": {"type": "string"}, "f": {"type": "string"}}}
                    """,
            "anything", PayloadSchemas.ANY_OBJECT));

    @Test
    void aPayloadThatMatchesHasNoProblems() {
        assertThat(SCHEMAS.problems("report", json("{\"month\": \"2026-11\", \"copies\": 2}"))).isEmpty();
        assertThat(SCHEMAS.problems("anything", json("{\"whatever\": [1, {}]}"))).isEmpty();
    }

    @Test
    void eachProblemNamesWhereInThePayloadItIs() {
        assertThat(SCHEMAS.problems("report", json("{\"month\": \"November\", \"copies\": 11}")))
                .hasSize(2)
                .anySatisfy(problem -> assertThat(problem).startsWith("payload.month: "))
                .anySatisfy(problem -> assertThat(problem).startsWith("payload.copies: ").contains("10"));
        assertThat(SCHEMAS.problems("report", json("{}"))).singleElement().asString().contains("month");
    }

    @Test
    void atMostFiveProblemsAreReported() {
        assertThat(SCHEMAS.problems("report", json(
                "{\"month\": 1, \"a\": 1, \"b\": 1, \"c\": 1, \"d\": 1, \"e\": 1, \"f\": 1, \"g\": 1}")))
                .hasSize(PayloadSchemas.MAX_PROBLEMS);
    }

    @Test
    void aSchemaThatDoesNotCompileStopsTheStartNamingItsType() {
        assertThatThrownBy(() -> new PayloadSchemas(Map.of("broken", "{\"type\": ")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("broken");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
