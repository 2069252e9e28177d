package io.cloudsentinel.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;

/** EgressClient against local JDK servers on 127.0.0.1: it connects only to the checked address. */
class EgressClientTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PASSWORD = "changeit";

    private static Vertx vertx;
    private static EgressClient client;
    private static EgressClient trustingClient;
    private static HttpServer server;
    private static HttpsServer tlsServer;
    private static ServerSocket silent;
    private static final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private static final Queue<String> serverNames = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger silentAccepted = new AtomicInteger();
    private static final AtomicInteger silentClosed = new AtomicInteger();

    private record Received(String method, String path, String host, String body) {
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx();
        client = new EgressClient(vertx);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", EgressClientTest::answer);
        server.start();

        Path keyStore = dir.resolve("receiver.p12");
        Path certificate = dir.resolve("receiver.pem");
        keytool("-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=receiver.test", "-ext", "SAN=dns:receiver.test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "receiver", "-keystore", keyStore.toString(), "-storepass",
                PASSWORD, "-file", certificate.toString());
        tlsServer = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tlsServer.setHttpsConfigurator(new RecordingSni(sslContext(keyStore)));
        tlsServer.createContext("/", EgressClientTest::answer);
        tlsServer.start();
        trustingClient = new EgressClient(vertx,
                new HttpClientOptions().setTrustOptions(new PemTrustOptions().addCertPath(certificate.toString())));

        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread listener = new Thread(EgressClientTest::readAndNeverAnswer, "silent-receiver");
        listener.setDaemon(true);
        listener.start();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        trustingClient.close();
        server.stop(0);
        tlsServer.stop(0);
        silent.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void forget() {
        received.clear();
        serverNames.clear();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Host"),
                body));
        byte[] answer;
        int status;
        switch (exchange.getRequestURI().getPath()) {
            case "/redirect" -> {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/landed");
                status = 302;
                answer = new byte[0];
            }
            case "/large" -> {
                status = 200;
                answer = new byte[5_000];
            }
            default -> {
                exchange.getResponseHeaders().add("X-Answer", "yes");
                status = 201;
                answer = "ok".getBytes(StandardCharsets.UTF_8);
            }
        }
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    /** Accepts, reads whatever comes, never answers; notes when the client hangs up. */
    private static void readAndNeverAnswer() {
        while (!silent.isClosed()) {
            try {
                Socket socket = silent.accept();
                silentAccepted.incrementAndGet();
                Thread reader = new Thread(() -> {
                    try (socket; InputStream in = socket.getInputStream()) {
                        while (in.read() >= 0) {
                            // keep reading
                        }
                    } catch (IOException ignored) {
                        // reset by the client
                    }
                    silentClosed.incrementAndGet();
                });
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static int port() {
        return server.getAddress().getPort();
    }

    private static CheckedDestination checked(String url, HostResolver resolver) {
        return new DestinationGuard(new DestinationPolicy(true, List.of()), resolver).check(URI.create(url));
    }

    private static Exchange send(EgressClient through, CheckedDestination to, Duration timeout, int maxBytes) {
        return through.send(to, "POST", Map.of("Content-Type", "application/json"),
                "{\"hello\":1}".getBytes(StandardCharsets.UTF_8), timeout, maxBytes).await().atMost(WAIT);
    }

    @Test
    void anAnswerComesBackWithLowerCaseHeadersAndTheHostHeaderIsTheName() {
        Exchange exchange = send(client, checked("http://receiver.test:" + port() + "/in?x=1",
                Addresses.answering("127.0.0.1")), Duration.ofSeconds(5), 1_000);

        assertThat(exchange).isInstanceOf(Exchange.Answered.class);
        Exchange.Answered answered = (Exchange.Answered) exchange;
        assertThat(answered.status()).isEqualTo(201);
        assertThat(answered.headers()).containsEntry("x-answer", List.of("yes"));
        assertThat(new String(answered.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(received).containsExactly(new Received("POST", "/in?x=1", "receiver.test:" + port(),
                "{\"hello\":1}"));
    }

    @Test
    void theConnectionGoesToTheCheckedAddressAndTheNameIsNotLookedUpAgain() {
        // "rebind.test" is in no DNS: were it looked up again, the request could not be sent at all
        Addresses.Rebinding resolver = new Addresses.Rebinding("127.0.0.1", "127.0.0.2");
        CheckedDestination to = checked("http://rebind.test:" + port() + "/in", resolver);

        Exchange exchange = send(client, to, Duration.ofSeconds(5), 1_000);

        assertThat(exchange).isInstanceOf(Exchange.Answered.class);
        assertThat(resolver.asked).hasValue(1);
        assertThat(received).extracting(Received::host).containsExactly("rebind.test:" + port());
    }

    @Test
    void aRedirectIsAnsweredAsItIsAndNotFollowed() {
        Exchange exchange = send(client, checked("http://receiver.test:" + port() + "/redirect",
                Addresses.answering("127.0.0.1")), Duration.ofSeconds(5), 1_000);

        assertThat(((Exchange.Answered) exchange).status()).isEqualTo(302);
        assertThat(received).extracting(Received::path).containsExactly("/redirect");
    }

    @Test
    void aRefusedConnectionIsNotConnected() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        Exchange exchange = send(client, checked("http://receiver.test:" + closedPort + "/in",
                Addresses.answering("127.0.0.1")), Duration.ofSeconds(5), 1_000);

        assertThat(exchange).isInstanceOf(Exchange.NotConnected.class);
    }

    @Test
    void aServerThatReadsAndNeverAnswersIsNoAnswerAtTheTimeout() {
        Exchange exchange = send(client, checked("http://receiver.test:" + silent.getLocalPort() + "/in",
                Addresses.answering("127.0.0.1")), Duration.ofMillis(500), 1_000);

        assertThat(exchange).isInstanceOf(Exchange.NoAnswer.class);
    }

    @Test
    void anAnswerLargerThanTheCapIsNoAnswer() {
        Exchange exchange = send(client, checked("http://receiver.test:" + port() + "/large",
                Addresses.answering("127.0.0.1")), Duration.ofSeconds(5), 1_000);

        assertThat(exchange).isInstanceOf(Exchange.NoAnswer.class);
        assertThat(((Exchange.NoAnswer) exchange).cause()).hasMessageContaining("1000 bytes");
    }

    @Test
    void cancellingTheUniHangsUp() {
        CheckedDestination to = checked("http://receiver.test:" + silent.getLocalPort() + "/in",
                Addresses.answering("127.0.0.1"));
        until(() -> silentAccepted.get() == silentClosed.get());
        int before = silentAccepted.get();

        Cancellable call = client.send(to, "POST", Map.of(), new byte[] { 1 }, Duration.ofMinutes(1), 1_000)
                .subscribe().with(exchange -> {
                });
        until(() -> silentAccepted.get() == before + 1);
        call.cancel();

        until(() -> silentClosed.get() == before + 1);
    }

    @Test
    void tlsSendsTheNameAsSniAndVerifiesTheCertificateAgainstIt() {
        int tlsPort = tlsServer.getAddress().getPort();

        Exchange exchange = send(trustingClient, checked("https://receiver.test:" + tlsPort + "/in",
                Addresses.answering("127.0.0.1")), Duration.ofSeconds(10), 1_000);

        assertThat(exchange).isInstanceOf(Exchange.Answered.class);
        assertThat(serverNames).containsExactly("receiver.test");
    }

    @Test
    void aCertificateForAnotherNameIsNotConnected() {
        int tlsPort = tlsServer.getAddress().getPort();

        Exchange exchange = send(trustingClient, checked("https://impostor.test:" + tlsPort + "/in",
                Addresses.answering("127.0.0.1")), Duration.ofSeconds(10), 1_000);

        assertThat(exchange).isInstanceOf(Exchange.NotConnected.class);
        assertThat(received).isEmpty();
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

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    private static SSLContext sslContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** Notes the server name each TLS client asked for. */
    private static final class RecordingSni extends HttpsConfigurator {

        RecordingSni(SSLContext context) {
            super(context);
        }

        @Override
        public void configure(HttpsParameters parameters) {
            SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
            ssl.setSNIMatchers(List.of(new SNIMatcher(0) {
                @Override
                public boolean matches(SNIServerName name) {
                    serverNames.add(((SNIHostName) name).getAsciiName());
                    return true;
                }
            }));
            parameters.setSSLParameters(ssl);
        }
    }
}
