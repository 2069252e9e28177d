package io.cloudsentinel.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The model the scenarios' analyses call: an OpenAI-compatible {@code POST /v1/chat/completions} on loopback that
 * answers a valid analysis with usage (prompt ≈ request bytes / 4, completion a fixed 120 tokens within
 * {@code max_tokens}), or, once told to, hangs until released: what a model that stops answering looks like. It
 * keeps every request it got (API key and body).
 */
final class ModelEndpoint implements AutoCloseable {

    static final String MODEL = "gpt-4o-mini";
    static final String API_KEY = "e2e-platform-model-key";
    static final long COMPLETION_TOKENS = 120;

    private static final Pattern MAX_TOKENS = Pattern.compile("\"max_tokens\"\\s*:\\s*(\\d+)");
    private static final String ANALYSIS = """
            {"summary":"e2e model: spend is steady.","findings":[{"title":"One model carries the spend",\
            "detail":"e2e finding","severity":"low"}],"recommendations":[{"title":"Try a smaller model",\
            "detail":"e2e recommendation","estimatedMonthlySavings":{"amount":3.5,"currency":"USD"}}]}""";

    private final HttpServer server;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger done = new AtomicInteger();
    private volatile CountDownLatch hang;

    private ModelEndpoint(HttpServer server) {
        this.server = server;
    }

    static ModelEndpoint start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ModelEndpoint endpoint = new ModelEndpoint(server);
            server.createContext("/v1/chat/completions", endpoint::completion);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every request waits (its connection open, no answer) until {@link #answerAgain}. */
    void hang() {
        hang = new CountDownLatch(1);
    }

    /** Hanging requests get their (late) answers, and new ones are answered at once. */
    void answerAgain() {
        CountDownLatch current = hang;
        hang = null;
        if (current != null) {
            current.countDown();
        }
    }

    /** One request as the model got it. */
    record Request(String authorization, String body) {
    }

    int requests() {
        return received.size();
    }

    /** Every request so far, oldest first. */
    List<Request> received() {
        return List.copyOf(received);
    }

    /** Requests handled to their end: answered, or their answer refused by a closed connection. */
    int done() {
        return done.get();
    }

    String lastAuthorization() {
        List<Request> all = received();
        return all.isEmpty() ? null : all.get(all.size() - 1).authorization();
    }

    private void completion(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readNBytes(1 << 20);
            received.add(new Request(exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(request, StandardCharsets.UTF_8)));
            CountDownLatch waitFor = hang;
            if (waitFor != null) {
                waitFor.await(5, TimeUnit.MINUTES);
            }
            Matcher max = MAX_TOKENS.matcher(new String(request, StandardCharsets.UTF_8));
            long completionTokens = Math.min(max.find() ? Long.parseLong(max.group(1)) : 1_000, COMPLETION_TOKENS);
            long promptTokens = request.length / 4 + 1;
            String content = ANALYSIS.replace("\"", "\\\"");
            byte[] answer = """
                    {"id":"chatcmpl-e2e-%d","object":"chat.completion","model":"%s","choices":[{"index":0,\
                    "message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],\
                    "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                    .formatted(received.size(), MODEL, content, promptTokens, completionTokens,
                            promptTokens + completionTokens)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.incrementAndGet();
        }
    }

    @Override
    public void close() {
        answerAgain();
        server.stop(0);
    }
}
