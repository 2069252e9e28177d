package io.cloudsentinel.platform.egress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Sends one HTTP request to a {@link CheckedDestination}: it connects to the checked address only (Vert.x never
 * looks the name up again), sends the host name as Host header and TLS SNI and verifies the certificate against
 * it, follows no redirect, and stops at the timeout or when the answer grows past its cap. Its {@code Uni} never
 * fails: it says whether an answer came ({@link Exchange.Answered}), the request provably never left
 * ({@link Exchange.NotConnected}), or it may have left and no answer came ({@link Exchange.NoAnswer}). Cancelling it
 * resets the request.
 */
public final class EgressClient implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClient client;

    public EgressClient(Vertx vertx) {
        this(vertx, new HttpClientOptions());
    }

    /** With the given options as a base (the tests' trust store); what keeps requests pinned is set here. */
    EgressClient(Vertx vertx, HttpClientOptions options) {
        this.vertx = vertx;
        // a connection per request: a pooled one might carry a request to another tenant's destination
        this.client = vertx.createHttpClient(new HttpClientOptions(options).setKeepAlive(false).setVerifyHost(true)
                .setMaxRedirects(0));
    }

    public Uni<Exchange> send(CheckedDestination to, String method, Map<String, String> headers, byte[] body,
            Duration timeout, int maxResponseBytes) {
        return Uni.createFrom().emitter(emitter -> new Call(to, emitter, maxResponseBytes).start(method, headers,
                body, timeout));
    }

    @Override
    public void close() {
        client.close();
    }

    /** One request: it reports exactly once, whatever comes first. */
    private final class Call {

        private final CheckedDestination to;
        private final UniEmitter<? super Exchange> emitter;
        private final int maxResponseBytes;
        private final AtomicBoolean finished = new AtomicBoolean();
        /** Set once connected: from then on the request may have left. */
        private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        private volatile long timer = -1;

        Call(CheckedDestination to, UniEmitter<? super Exchange> emitter, int maxResponseBytes) {
            this.to = to;
            this.emitter = emitter;
            this.maxResponseBytes = maxResponseBytes;
        }

        void start(String method, Map<String, String> headers, byte[] body, Duration timeout) {
            emitter.onTermination(() -> {
                // cancelled (or done): a request still under way is reset
                if (finished.compareAndSet(false, true)) {
                    stop();
                }
            });
            RequestOptions options;
            try {
                options = new RequestOptions().setMethod(HttpMethod.valueOf(method))
                        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(to.address(), to.port())))
                        .setHost(to.host()).setPort(to.port()).setSsl(to.tls()).setURI(pathAndQuery())
                        .setFollowRedirects(false).setConnectTimeout(Math.max(1, timeout.toMillis()));
                headers.forEach(options::putHeader);
            } catch (RuntimeException e) {
                finish(new Exchange.NotConnected(e));
                return;
            }
            timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> finish(request.get() == null
                    ? new Exchange.NotConnected(new TimeoutException("no connection within " + timeout))
                    : new Exchange.NoAnswer(new TimeoutException("no answer within " + timeout))));
            client.request(options).onComplete(connected -> {
                if (connected.failed()) {
                    finish(new Exchange.NotConnected(connected.cause()));
                    return;
                }
                HttpClientRequest sending = connected.result();
                request.set(sending);
                if (finished.get()) {
                    hangUp(sending);
                    return;
                }
                sending.exceptionHandler(failure -> finish(new Exchange.NoAnswer(failure)));
                sending.send(Buffer.buffer(body == null ? new byte[0] : body)).onComplete(answered -> {
                    if (answered.failed()) {
                        finish(new Exchange.NoAnswer(answered.cause()));
                    } else {
                        read(answered.result());
                    }
                });
            });
        }

        private void read(HttpClientResponse response) {
            String length = response.getHeader("content-length");
            if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                    && Long.parseLong(length) > maxResponseBytes) {
                finish(new Exchange.NoAnswer(tooLarge()));
                return;
            }
            Buffer received = Buffer.buffer();
            response.exceptionHandler(failure -> finish(new Exchange.NoAnswer(failure)));
            response.handler(chunk -> {
                if (received.length() + chunk.length() > maxResponseBytes) {
                    finish(new Exchange.NoAnswer(tooLarge()));
                } else {
                    received.appendBuffer(chunk);
                }
            });
            response.endHandler(end -> {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                response.headers().forEach(header -> headers
                        .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                        .add(header.getValue()));
                headers.replaceAll((name, values) -> List.copyOf(values));
                finish(new Exchange.Answered(response.statusCode(), Map.copyOf(headers), received.getBytes()));
            });
        }

        private IOException tooLarge() {
            return new IOException("the answer is larger than " + maxResponseBytes + " bytes");
        }

        private void finish(Exchange exchange) {
            if (finished.compareAndSet(false, true)) {
                if (!(exchange instanceof Exchange.Answered)) {
                    stop();
                } else if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
                emitter.complete(exchange);
            }
        }

        private void stop() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            HttpClientRequest sending = request.get();
            if (sending != null) {
                hangUp(sending);
            }
        }

        /** Resets the request and closes its connection (a reset before sending would keep it open, idle). */
        private void hangUp(HttpClientRequest sending) {
            sending.reset();
            sending.connection().close();
        }

        /** What follows the authority: the raw path (or /) and query, as the URL spelt them. */
        private String pathAndQuery() {
            String path = to.url().getRawPath();
            String query = to.url().getRawQuery();
            return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
        }
    }
}
