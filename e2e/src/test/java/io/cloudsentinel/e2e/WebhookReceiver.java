package io.cloudsentinel.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tenant's webhook endpoint on loopback: {@code POST /hooks/<name>} records each delivery (its Standard Webhooks
 * headers and body) and answers the next status planned for that name (200 once the plan is used up).
 */
final class WebhookReceiver {

    /** One request as it arrived. */
    record Delivery(String id, String timestamp, String signature, String body, int answeredWith) {
    }

    private final HttpServer server;
    private final Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedDeque<Integer>> plans = new ConcurrentHashMap<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/hooks/", receiver::receive);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /** The URL a tenant configures; the statuses its first deliveries get (then 200). */
    String url(String name, Integer... firstAnswers) {
        plans.put(name, new ConcurrentLinkedDeque<>(List.of(firstAnswers)));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + name;
    }

    List<Delivery> deliveries(String name) {
        synchronized (deliveries) {
            return new ArrayList<>(deliveries.getOrDefault(name, List.of()));
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/hooks/".length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Integer planned = plans.getOrDefault(name, new ConcurrentLinkedDeque<>()).poll();
            int status = planned == null ? 200 : planned;
            var headers = exchange.getRequestHeaders();
            synchronized (deliveries) {
                deliveries.computeIfAbsent(name, key -> new ArrayList<>()).add(new Delivery(
                        headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                        headers.getFirst("webhook-signature"), body, status));
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }
}
