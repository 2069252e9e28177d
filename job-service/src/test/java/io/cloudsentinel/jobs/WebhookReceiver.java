package io.cloudsentinel.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tenant's webhook receiver on 127.0.0.1 (the JDK's HTTP server): records every delivery, answers the planned
 * answers in turn, then 200.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived; header names lower-case. */
    record Delivery(String path, Map<String, List<String>> headers, String body, Instant receivedAt) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    /** An answer to give: its status and headers. */
    record Answer(int status, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final Queue<Answer> planned = new ConcurrentLinkedQueue<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::receive);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The next deliveries get these answers, in order. */
    void plan(Answer... answers) {
        planned.addAll(List.of(answers));
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    void reset() {
        deliveries.clear();
        planned.clear();
    }

    private void receive(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                List.copyOf(values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        deliveries.add(new Delivery(exchange.getRequestURI().getPath(), Map.copyOf(headers), body, Instant.now()));
        Answer answer = planned.poll();
        if (answer == null) {
            answer = new Answer(200, Map.of());
        }
        answer.headers().forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(answer.status(), -1);
        try (OutputStream out = exchange.getResponseBody()) {
            out.flush();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
