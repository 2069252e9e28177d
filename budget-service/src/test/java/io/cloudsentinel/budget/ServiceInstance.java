package io.cloudsentinel.budget;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.context.ContextConfig;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.testing.PostgresServer;

/**
 * The packaged budget-service (failsafe's {@code service.jar}) as a separate process in the prod profile, on the
 * shared test PostgreSQL, for tests and benchmarks that need real instances.
 */
final class ServiceInstance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final int port;
    private final Process process;

    private ServiceInstance(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** A fresh random context secret, strong enough for the prod profile. */
    static String randomSecret() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    static SignedContextCodec codec(String secret) {
        return new SignedContextCodec(new Config(secret));
    }

    static ServiceInstance start(PostgresServer postgres, String database, String secret, String... properties)
            throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("budget-instance-", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.username=" + DatabaseBootstrap.APP_ROLE,
                "-Dquarkus.datasource.password=" + PostgresServer.APP_PASSWORD,
                "-Dquarkus.datasource.reactive.url=" + postgres.reactiveUrl(database),
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(database),
                "-Dquarkus.flyway.username=" + DatabaseBootstrap.OWNER_ROLE,
                "-Dquarkus.flyway.password=" + PostgresServer.OWNER_PASSWORD,
                "-Dcs.outbox.enabled=false"));
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", System.getProperty("service.jar")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CS_CONTEXT_SECRET", secret); // not on the command line
        ServiceInstance instance = new ServiceInstance(port, builder.start());
        instance.awaitReady(log);
        return instance;
    }

    private void awaitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("instance exited; log:\n" + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("instance on port " + port + " not ready; log:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Config(String secret) implements ContextConfig {
        public Optional<List<String>> previousSecrets() {
            return Optional.empty();
        }

        public Duration ttl() {
            return Duration.ofSeconds(60);
        }

        public Duration clockSkew() {
            return Duration.ofSeconds(5);
        }
    }
}
