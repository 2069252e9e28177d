package io.cloudsentinel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The local stack's stand-in model answers as an OpenAI-compatible server would, and records webhooks. */
class LocalModelStubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void itAnswersAChatCompletionWithAnAnalysisAndUsageWithinMaxTokens(@TempDir Path logs) throws Exception {
        try (LocalModelStub stub = LocalModelStub.start(0, logs)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + stub.port() + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gpt-4o-mini\",\"max_tokens\":40,\"messages\":[{\"role\":\"user\","
                                    + "\"content\":\"hello\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            JsonNode answer = JSON.readTree(response.body());
            JsonNode analysis = JSON.readTree(answer.at("/choices/0/message/content").asText());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(analysis.path("summary").asText()).contains("not a model");
            assertThat(analysis.path("findings")).isNotEmpty();
            assertThat(analysis.at("/recommendations/0/estimatedMonthlySavings/currency").asText()).isEqualTo("USD");
            assertThat(answer.at("/usage/completion_tokens").asLong()).isBetween(1L, 40L);
            assertThat(answer.at("/usage/prompt_tokens").asLong()).isPositive();
        }
    }

    @Test
    void itRecordsTheWebhookHeadersAndBodyItReceives(@TempDir Path logs) throws Exception {
        try (LocalModelStub stub = LocalModelStub.start(0, logs)) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + stub.port() + "/webhooks/demo")).header("webhook-id", "evt-1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"analysis.completed\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(Files.readString(logs.resolve("webhooks.log"))).contains("webhook-id: evt-1")
                    .contains("{\"type\":\"analysis.completed\"}");
        }
    }
}
