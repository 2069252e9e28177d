package io.cloudsentinel.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * An OpenAI-compatible chat completions endpoint on 127.0.0.1 (the JDK's HTTP server). Each tenant has a base URL of
 * its own on it ({@code /t/<tenant>}, the platform's is {@code /}); each answers its planned replies in turn (then a
 * valid analysis with usage) and records every request it saw: path, Host, Authorization and body.
 */
final class ModelStub implements AutoCloseable {

    static final String PLATFORM = "";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String VALID_CONTENT = """
            {"summary": "Compute is most of the spend.",
             "findings": [{"title": "EC2 dominates", "detail": "80% of the month", "severity": "high"}],
             "recommendations": [{"title": "Rightsize", "detail": "m5.4xlarge idle at night",
                                  "estimatedMonthlySavings": {"amount": 120.5, "currency": "USD"}}]}
            """;

    /** One request as it arrived. */
    record Seen(String prefix, String path, String host, String authorization, JsonNode body) {
    }

    /** How to answer one request. */
    record Reply(int status, String content, Integer promptTokens, Integer completionTokens, Duration delay,
            CountDownLatch gate, boolean raw) {

        static Reply valid(int promptTokens, int completionTokens) {
            return new Reply(200, VALID_CONTENT, promptTokens, completionTokens, Duration.ZERO, null, false);
        }

        static Reply withoutUsage() {
            return new Reply(200, VALID_CONTENT, null, null, Duration.ZERO, null, false);
        }

        static Reply content(String content, int promptTokens, int completionTokens) {
            return new Reply(200, content, promptTokens, completionTokens, Duration.ZERO, null, false);
        }

        /** An error answer; with usage when the counts are given. */
        static Reply error(int status, Integer promptTokens, Integer completionTokens) {
            return new Reply(status, null, promptTokens, completionTokens, Duration.ZERO, null, false);
        }

        /** A valid answer with usage, only after the delay (the client may have given up by then). */
        Reply after(Duration wait) {
            return new Reply(status, content, promptTokens, completionTokens, wait, gate, raw);
        }

        /** A valid answer with usage, only once the gate is open. */
        Reply afterGate(CountDownLatch open) {
            return new Reply(status, content, promptTokens, completionTokens, delay, open, raw);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Map<String, Queue<Reply>> planned = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

    private ModelStub(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(threads);
        server.createContext("/", this::receive);
        server.start();
    }

    /** On the port, or any free one with 0. */
    static ModelStub on(int port) throws IOException {
        return new ModelStub(port);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The tenant's base URL on this stub. */
    String baseUrl(TenantId tenant) {
        return "http://127.0.0.1:" + port() + prefix(tenant);
    }

    static String prefix(TenantId tenant) {
        return "/t/" + tenant;
    }

    /** The next requests at the prefix get these replies, in order. */
    void plan(String prefix, Reply... replies) {
        planned.computeIfAbsent(prefix, key -> new ConcurrentLinkedQueue<>()).addAll(List.of(replies));
    }

    void plan(TenantId tenant, Reply... replies) {
        plan(prefix(tenant), replies);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<Seen> seen(String prefix) {
        return seen.stream().filter(request -> request.prefix().equals(prefix)).toList();
    }

    List<Seen> seen(TenantId tenant) {
        return seen(prefix(tenant));
    }

    /** The replies at the prefix written so far, or given up on (the client was gone). */
    int answered(String prefix) {
        return answered.computeIfAbsent(prefix, key -> new AtomicInteger()).get();
    }

    int answered(TenantId tenant) {
        return answered(prefix(tenant));
    }

    private void receive(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String prefix = path.endsWith("/v1/chat/completions")
                ? path.substring(0, path.length() - "/v1/chat/completions".length())
                : path;
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
            body = JSON.nullNode();
        }
        seen.add(new Seen(prefix, path, exchange.getRequestHeaders().getFirst("Host"),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        Queue<Reply> replies = planned.get(prefix);
        Reply reply = replies == null ? null : replies.poll();
        if (reply == null) {
            reply = Reply.valid(1_000, 200);
        }
        try {
            if (reply.gate() != null) {
                reply.gate().await(30, TimeUnit.SECONDS);
            }
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            byte[] answer = JSON.writeValueAsBytes(answer(reply, body));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (IOException e) {
            // the client gave up before the answer: as a provider's, it is lost
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
            answered.computeIfAbsent(prefix, key -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static ObjectNode answer(Reply reply, JsonNode request) {
        ObjectNode answer = JSON.createObjectNode();
        if (reply.status() / 100 == 2) {
            answer.put("id", "chatcmpl-stub").put("object", "chat.completion")
                    .put("model", request.path("model").asText());
            ObjectNode choice = answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", reply.content());
        } else {
            answer.putObject("error").put("message", "stub error " + reply.status()).put("type", "server_error");
        }
        if (reply.promptTokens() != null) {
            answer.putObject("usage").put("prompt_tokens", reply.promptTokens())
                    .put("completion_tokens", reply.completionTokens())
                    .put("total_tokens", reply.promptTokens() + reply.completionTokens());
        }
        return answer;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
