package io.cloudsentinel.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.vertx.core.Vertx;

/** EgressDownload against a local JDK server on 127.0.0.1: bodies larger than memory stream with back-pressure. */
class EgressDownloadTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LARGE = 50 * 1024 * 1024;
    private static final EgressDownload.Limits LIMITS = new EgressDownload.Limits(Duration.ofSeconds(5),
            Duration.ofSeconds(5), 100L * 1024 * 1024);

    private static Vertx vertx;
    private static EgressDownload download;
    private static HttpServer server;
    /** Body bytes the server has handed to its socket in the current test. */
    private static final AtomicLong written = new AtomicLong();
    /** Answers whose writing failed because the client hung up. */
    private static final AtomicInteger brokenOff = new AtomicInteger();
    private static final Queue<String> paths = new ConcurrentLinkedQueue<>();
    private static final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
    private static volatile CountDownLatch holdOn = new CountDownLatch(1);

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        download = new EgressDownload(vertx);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", EgressDownloadTest::answer);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        holdOn.countDown();
        download.close();
        server.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void forget() {
        written.set(0);
        brokenOff.set(0);
        paths.clear();
        authorizations.clear();
        holdOn = new CountDownLatch(1);
    }

    @AfterEach
    void release() {
        holdOn.countDown();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        paths.add(exchange.getRequestURI().getRawPath());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            authorizations.add(authorization);
        }
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            switch (exchange.getRequestURI().getPath()) {
                case "/large" -> {
                    exchange.sendResponseHeaders(200, LARGE);
                    write(out, LARGE);
                }
                case "/large-chunked" -> {
                    exchange.sendResponseHeaders(200, 0);
                    write(out, 10_000);
                }
                case "/sized" -> {
                    exchange.sendResponseHeaders(200, 10_000);
                    write(out, 10_000);
                }
                case "/stalls" -> {
                    exchange.sendResponseHeaders(200, 0);
                    write(out, 100);
                    out.flush();
                    holdOn.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                case "/redirect" -> {
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/landed");
                    exchange.sendResponseHeaders(302, -1);
                }
                default -> {
                    exchange.getResponseHeaders().add("X-Answer", "yes");
                    byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    out.write(ok);
                }
            }
        } catch (IOException brokenPipe) {
            brokenOff.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bytes of {@link #pattern}, in 64 KiB writes, counting them. */
    private static void write(OutputStream out, int total) throws IOException {
        byte[] block = new byte[64 * 1024];
        for (int sent = 0; sent < total;) {
            int count = Math.min(block.length, total - sent);
            for (int i = 0; i < count; i++) {
                block[i] = pattern(sent + i);
            }
            out.write(block, 0, count);
            sent += count;
            written.addAndGet(count);
        }
    }

    private static byte pattern(long position) {
        return (byte) (position * 31 + (position >>> 11));
    }

    private static int port() {
        return server.getAddress().getPort();
    }

    private static CheckedDestination checked(String path) {
        return new DestinationGuard(new DestinationPolicy(true, List.of()), Addresses.answering("127.0.0.1"))
                .check(URI.create("http://files.test:" + port() + path));
    }

    @Test
    void aBodyLargerThanItIsAllowedToHoldStreamsWholeToASlowReader() throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        for (int sent = 0; sent < LARGE;) {
            int count = Math.min(block.length, LARGE - sent);
            for (int i = 0; i < count; i++) {
                block[i] = pattern(sent + i);
            }
            expected.update(block, 0, count);
            sent += count;
        }

        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long read = 0;
        long mostAhead = 0;
        try (EgressDownload.Answer answer = download.get(checked("/large"), Map.of("Authorization", "Bearer t"),
                LIMITS); InputStream body = answer.body()) {
            assertThat(answer.status()).isEqualTo(200);
            byte[] buffer = new byte[8 * 1024];
            for (int n; (n = body.read(buffer)) >= 0;) {
                digest.update(buffer, 0, n);
                read += n;
                mostAhead = Math.max(mostAhead, written.get() - read);
                if (read >= 1024 * 1024 && read - n < 1024 * 1024) {
                    // a reader that stops for a while: unpaused, the server would write the whole body meanwhile
                    Thread.sleep(1_000);
                    mostAhead = Math.max(mostAhead, written.get() - read);
                }
            }
        }

        assertThat(read).isEqualTo(LARGE);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(authorizations).containsExactly("Bearer t");
        // what the server got ahead of the reader is in socket buffers and a few queued chunks, not the body
        assertThat(mostAhead).as("bytes written but not yet read").isLessThan(16L * 1024 * 1024);
    }

    @Test
    void aChunkedBodyPastTheCapFailsTheStreamSayingSo() throws IOException {
        try (EgressDownload.Answer answer = download.get(checked("/large-chunked"), Map.of(),
                new EgressDownload.Limits(Duration.ofSeconds(5), Duration.ofSeconds(5), 1_000))) {
            assertThat(answer.status()).isEqualTo(200);
            assertThatThrownBy(() -> answer.body().readAllBytes()).isInstanceOf(IOException.class)
                    .hasMessageContaining("larger than 1000 bytes");
        }
    }

    @Test
    void aContentLengthPastTheCapFailsTheStreamBeforeAnyByte() throws IOException {
        try (EgressDownload.Answer answer = download.get(checked("/sized"), Map.of(),
                new EgressDownload.Limits(Duration.ofSeconds(5), Duration.ofSeconds(5), 1_000))) {
            assertThatThrownBy(() -> answer.body().read()).isInstanceOf(IOException.class)
                    .hasMessageContaining("larger than 1000 bytes");
        }
    }

    @Test
    void aServerThatStopsSendingFailsTheStreamAtTheIdleTimeout() throws IOException {
        try (EgressDownload.Answer answer = download.get(checked("/stalls"), Map.of(),
                new EgressDownload.Limits(Duration.ofSeconds(5), Duration.ofMillis(300), 1_000_000))) {
            InputStream body = answer.body();
            assertThat(body.readNBytes(100)).hasSize(100);
            assertThatThrownBy(body::read).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("no data for PT0.3S");
        }
    }

    @Test
    void aRedirectIsAnsweredAsItIsAndNotFollowed() throws IOException {
        try (EgressDownload.Answer answer = download.get(checked("/redirect"), Map.of(), LIMITS)) {
            assertThat(answer.status()).isEqualTo(302);
            assertThat(answer.header("Location")).endsWith("/landed");
        }
        assertThat(paths).containsExactly("/redirect");
    }

    @Test
    void headersComeBackLowerCaseWithTheBody() throws IOException {
        try (EgressDownload.Answer answer = download.get(checked("/small"), Map.of(), LIMITS)) {
            assertThat(answer.headers()).containsEntry("x-answer", List.of("yes"));
            assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
        }
    }

    @Test
    void closingTheBodyEarlyHangsUp() throws IOException {
        EgressDownload.Answer answer = download.get(checked("/large"), Map.of(), LIMITS);
        InputStream body = answer.body();
        assertThat(body.readNBytes(1024)).hasSize(1024);

        body.close();

        until(() -> brokenOff.get() == 1);
        assertThat(written.get()).isLessThan(LARGE);
        assertThatThrownBy(body::read).isInstanceOf(IOException.class);
    }

    /** Waits for the condition, failing after {@link #WAIT}. */
    private static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
