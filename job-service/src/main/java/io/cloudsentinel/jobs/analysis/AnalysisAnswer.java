package io.cloudsentinel.jobs.analysis;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

/**
 * What the model must answer, as a JSON Schema (draft 2020-12): sent in {@code response_format} (OpenAI's strict
 * structured outputs need every property required and no others at each level) and checked here against the
 * answer with networknt's validator, so an answer is stored only when it matches.
 */
public final class AnalysisAnswer {

    public static final String SCHEMA = """
            {"type": "object", "additionalProperties": false,
             "required": ["summary", "findings", "recommendations"],
             "properties": {
               "summary": {"type": "string"},
               "findings": {"type": "array", "maxItems": 20, "items": {
                 "type": "object", "additionalProperties": false, "required": ["title", "detail", "severity"],
                 "properties": {
                   "title": {"type": "string"},
                   "detail": {"type": "string"},
                   "severity": {"type": "string", "enum": ["low", "medium", "high"]}}}},
               "recommendations": {"type": "array", "maxItems": 20, "items": {
                 "type": "object", "additionalProperties": false,
                 "required": ["title", "detail", "estimatedMonthlySavings"],
                 "properties": {
                   "title": {"type": "string"},
                   "detail": {"type": "string"},
                   "estimatedMonthlySavings": {
                     "type": "object", "additionalProperties": false, "required": ["amount", "currency"],
                     "properties": {
                       "amount": {"type": "number", "minimum": 0},
                       "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}}}}}}}}
            """;
    /** Problems named for one answer at most: enough to see what the model got wrong. */
    static final int MAX_PROBLEMS = 5;

    /** An answer that matched, or why it did not. */
    public record Checked(JsonNode answer, List<String> problems) {

        public boolean valid() {
            return answer != null;
        }
    }

    private final ObjectMapper json;
    private final JsonNode schemaNode;
    private final Schema schema;

    public AnalysisAnswer(ObjectMapper json) {
        this.json = json;
        try {
            this.schemaNode = json.readTree(SCHEMA);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the answer schema is JSON", e);
        }
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).build();
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config)).getSchema(SCHEMA);
        this.schema.initializeValidators();
    }

    /** The schema as the request sends it. */
    public JsonNode schema() {
        return schemaNode;
    }

    /** The model's message content: JSON that matches the schema, or the problems (never the content itself). */
    public Checked check(String content) {
        if (content == null || content.isBlank()) {
            return new Checked(null, List.of("the answer has no content"));
        }
        JsonNode answer;
        try {
            // one JSON value and nothing after it
            answer = json.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(content);
        } catch (JsonProcessingException e) {
            return new Checked(null, List.of("the answer is not JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")));
        }
        List<Error> errors = schema.validate(answer);
        if (errors.isEmpty()) {
            return new Checked(answer, List.of());
        }
        return new Checked(null, errors.stream().limit(MAX_PROBLEMS).map(error -> error.getInstanceLocation() + ": "
                + error.getMessage()).toList());
    }
}
