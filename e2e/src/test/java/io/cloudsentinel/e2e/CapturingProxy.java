package io.cloudsentinel.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback hop between the gateway and one upstream service that passes every request on as it came and keeps
 * the headers of the last request per path: what someone who can read the traffic behind the gateway sees, such as
 * the signed tenant context.
 */
final class CapturingProxy {

    /** Headers the JDK's client sets itself. */
    private static final Set<String> NOT_PASSED = Set.of("host", "connection", "content-length", "upgrade",
            "expect", "transfer-encoding", "keep-alive");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpServer server;
    private final Map<String, Map<String, List<String>>> seen = new ConcurrentHashMap<>();
    private volatile URI upstream;

    private CapturingProxy(HttpServer server) {
        this.server = server;
    }

    static CapturingProxy start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            CapturingProxy proxy = new CapturingProxy(server);
            server.createContext("/", proxy::pass);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void forwardTo(String upstreamUrl) {
        upstream = URI.create(upstreamUrl);
    }

    /** The headers of the last request for {@code path} (without its query), or none. */
    Map<String, List<String>> lastHeaders(String path) {
        return seen.getOrDefault(path, Map.of());
    }

    private void pass(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
            seen.put(exchange.getRequestURI().getPath(), headers);
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30)).method(exchange.getRequestMethod(),
                            HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            headers.forEach((name, values) -> {
                if (!NOT_PASSED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!NOT_PASSED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
