package io.cloudsentinel.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a model, for the local stack when no model endpoint is configured: an OpenAI-compatible
 * {@code POST /v1/chat/completions} that answers every request with the same canned analysis (valid against the
 * analysis schema) and reports usage (input ≈ request bytes / 4, output the canned answer's size, both within the
 * request's {@code max_tokens}), so that budgets, holds and settlements work end to end. It is NOT a model: its
 * findings are fixed text. {@code POST /webhooks/<name>} records what a webhook receiver would get (headers and
 * body) in {@code .local/logs/webhooks.log}, so that signed notifications can be seen locally.
 */
final class LocalModelStub implements AutoCloseable {

    static final String MODEL = "gpt-4o-mini";
    static final String API_KEY = "local-stub-key-not-a-secret";

    private static final Pattern MAX_TOKENS = Pattern.compile("\"max_tokens\"\\s*:\\s*(\\d+)");
    private static final String ANSWER = """
            {"summary":"Local stub answer: this is not a model. The figures below are fixed text.",\
            "findings":[{"title":"LLM spend is concentrated on one model","detail":"Most of this month's LLM \
            spend goes to a single model (stub finding).","severity":"medium"}],\
            "recommendations":[{"title":"Route simple prompts to a smaller model","detail":"Classify requests and \
            send short ones to a cheaper model (stub recommendation).",\
            "estimatedMonthlySavings":{"amount":12.5,"currency":"USD"}}]}""";

    private final HttpServer server;
    private final Path webhookLog;
    private final AtomicLong ids = new AtomicLong();

    private LocalModelStub(HttpServer server, Path webhookLog) {
        this.server = server;
        this.webhookLog = webhookLog;
    }

    static LocalModelStub start(int port, Path logs) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        LocalModelStub stub = new LocalModelStub(server, logs.resolve("webhooks.log"));
        server.createContext("/v1/chat/completions", stub::completion);
        server.createContext("/webhooks/", stub::webhook);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return stub;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void completion(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = readAll(exchange.getRequestBody());
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "{\"error\":{\"message\":\"POST only\"}}");
                return;
            }
            String text = new String(request, StandardCharsets.UTF_8);
            Matcher max = MAX_TOKENS.matcher(text);
            long maxTokens = max.find() ? Long.parseLong(max.group(1)) : 1_000;
            long completionTokens = Math.min(maxTokens, ANSWER.length() / 4 + 1);
            long promptTokens = request.length / 4 + 1;
            String content = ANSWER.replace("\\", "\\\\").replace("\"", "\\\"");
            reply(exchange, 200, """
                    {"id":"chatcmpl-local-%d","object":"chat.completion","created":%d,"model":"%s",\
                    "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],\
                    "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                    .formatted(ids.incrementAndGet(), Instant.now().getEpochSecond(), MODEL, content, promptTokens,
                            completionTokens, promptTokens + completionTokens));
        }
    }

    private void webhook(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readAll(exchange.getRequestBody());
            StringBuilder entry = new StringBuilder().append(Instant.now()).append(' ')
                    .append(exchange.getRequestMethod()).append(' ').append(exchange.getRequestURI()).append('\n');
            for (Map.Entry<String, java.util.List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (header.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("webhook-")) {
                    entry.append("  ").append(header.getKey().toLowerCase(java.util.Locale.ROOT)).append(": ")
                            .append(String.join(",", header.getValue())).append('\n');
                }
            }
            entry.append("  ").append(new String(body, StandardCharsets.UTF_8)).append("\n\n");
            synchronized (this) {
                Files.writeString(webhookLog, entry, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readNBytes(1 << 20);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
