package io.cloudsentinel.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;

/**
 * A service's packaged jar (failsafe passes its path as {@code service.jar}) running as its own process in the prod
 * profile on a bootstrapped database of the shared test PostgreSQL: for tests and benchmarks that need real
 * instances. Secrets go in through the environment, never on the command line.
 */
public final class PackagedService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public final int port;
    private final Process process;
    private final Path log;

    private PackagedService(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * @param environment secrets and other variables for the process
     * @param properties extra {@code key=value} system properties
     */
    public static PackagedService start(String database, Map<String, String> environment, String... properties)
            throws Exception {
        return start(Path.of(System.getProperty("service.jar")), database, environment, properties);
    }

    /** The same for another module's jar (a benchmark that runs two services). */
    public static PackagedService start(Path jar, String database, Map<String, String> environment,
            String... properties) throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        postgres.bootstrap(database);
        int port = freePort();
        Path log = Files.createTempFile("packaged-service-", ".log");
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
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        PackagedService service = new PackagedService(port, builder.start(), log);
        service.awaitReady();
        return service;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited; log:\n" + Files.readString(log));
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
        throw new IllegalStateException("service on port " + port + " not ready; log:\n" + Files.readString(log));
    }

    /** CPU time the process has used so far (user and system; clock-tick resolution on Linux). */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** What the process wrote so far (for a failing test's message). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGKILL, as the kernel's OOM killer or a lost node would: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Kubernetes stops a pod: the service shuts down gracefully. */
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
}
