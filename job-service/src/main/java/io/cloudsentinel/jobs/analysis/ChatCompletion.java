package io.cloudsentinel.jobs.analysis;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI's {@code POST /v1/chat/completions} as OpenAI, vLLM, Ollama and LiteLLM all speak it: the request with a
 * JSON-schema answer format and {@code max_tokens}, and what a reply says of its usage and content.
 */
public final class ChatCompletion {

    public static final String PATH = "/v1/chat/completions";

    /** The tokens the provider says the call used. */
    public record Usage(long inputTokens, long outputTokens) {
    }

    /** What the reply told; each part empty when it did not say (or said it in a form we do not read). */
    public record Reply(Optional<Usage> usage, Optional<String> content, Optional<String> finishReason) {

        static final Reply UNREADABLE = new Reply(Optional.empty(), Optional.empty(), Optional.empty());
    }

    private ChatCompletion() {
    }

    public static byte[] request(ObjectMapper json, String model, List<ChatMessage> messages, int maxTokens,
            JsonNode schema) {
        ObjectNode request = json.createObjectNode().put("model", model);
        messages.forEach(message -> request.withArray("messages").addObject().put("role", message.role())
                .put("content", message.content()));
        request.put("max_tokens", maxTokens).put("temperature", 0);
        request.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .put("name", "finops_analysis").put("strict", true).set("schema", schema);
        try {
            return json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request is JSON", e);
        }
    }

    /** Never fails: a body that is not a chat completion is a reply that says nothing. */
    public static Reply parse(ObjectMapper json, byte[] body) {
        JsonNode reply;
        try {
            reply = json.readTree(body);
        } catch (java.io.IOException e) {
            return Reply.UNREADABLE;
        }
        if (reply == null || !reply.isObject()) {
            return Reply.UNREADABLE;
        }
        JsonNode choice = reply.path("choices").path(0);
        JsonNode content = choice.path("message").path("content");
        JsonNode finish = choice.path("finish_reason");
        return new Reply(usage(reply.path("usage")), content.isTextual() ? Optional.of(content.asText())
                : Optional.empty(), finish.isTextual() ? Optional.of(finish.asText()) : Optional.empty());
    }

    /** Both counts as whole numbers from 0, or nothing: a partial usage cannot be charged exactly. */
    private static Optional<Usage> usage(JsonNode usage) {
        JsonNode input = usage.path("prompt_tokens");
        JsonNode output = usage.path("completion_tokens");
        if (!input.canConvertToExactIntegral() || !output.canConvertToExactIntegral() || !input.canConvertToLong()
                || !output.canConvertToLong() || input.asLong() < 0 || output.asLong() < 0) {
            return Optional.empty();
        }
        return Optional.of(new Usage(input.asLong(), output.asLong()));
    }
}
