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
 * instances. As in a deployment, the schema is migrated first by a run of the same jar in migration mode
 * ({@link #migrate}: {@code quarkus.init-and-exit}, the owner's credentials and nothing else), and the service then
 * serves with the app role only. Secrets go in through the environment, never on the command line.
 */
public final class PackagedService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public final int port;
    /** Quarkus's management interface: health and metrics. */
    public final int managementPort;
    private final Process process;
    private final Path log;

    private PackagedService(int port, int managementPort, Process process, Path log) {
        this.port = port;
        this.managementPort = managementPort;
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
        if (hasMigrations(jar)) {
            Migration migration = migrate(jar, database);
            if (migration.exitCode() != 0) {
                throw new IllegalStateException("the migration run exited with " + migration.exitCode() + "; log:\n"
                        + migration.log());
            }
        }
        return serve(jar, database, environment, properties);
    }

    /** The jar serving on the database as it is, migrated or not (tests of the schema check). */
    public static PackagedService serve(Path jar, String database, Map<String, String> environment,
            String... properties) throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        postgres.bootstrap(database);
        int port = freePort();
        int managementPort = freePort();
        Path log = Files.createTempFile("packaged-service-", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.datasource.username=" + DatabaseBootstrap.APP_ROLE,
                "-Dquarkus.datasource.password=" + PostgresServer.APP_PASSWORD,
                "-Dquarkus.datasource.reactive.url=" + postgres.reactiveUrl(database),
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(database),
                "-Dcs.outbox.enabled=false"));
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        PackagedService service = new PackagedService(port, managementPort, builder.start(), log);
        service.awaitReady();
        return service;
    }

    /** How a migration run ended: its exit code and what it wrote. */
    public record Migration(int exitCode, String log) {
    }

    /**
     * The jar in migration mode, as the Helm chart's hook Job runs it: profiles {@code prod,migrate} (Flyway migrates
     * at start, then {@code quarkus.init-and-exit}), the owner's datasource credentials and URLs, and no other setting
     * or secret.
     */
    public static Migration migrate(Path jar, String database) throws Exception {
        return migrate(jar, database, DatabaseBootstrap.OWNER_ROLE, PostgresServer.OWNER_PASSWORD);
    }

    /** The same as another role (a test that the app role cannot migrate). */
    public static Migration migrate(Path jar, String database, String role, String password) throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        Path log = Files.createTempFile("migration-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("CS_") || name.startsWith("QUARKUS_"));
        environment.put("QUARKUS_PROFILE", "prod,migrate");
        environment.put("QUARKUS_DATASOURCE_USERNAME", role);
        environment.put("QUARKUS_DATASOURCE_PASSWORD", password);
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        environment.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the migration run did not exit within 90 s; log:\n"
                    + Files.readString(log));
        }
        return new Migration(process.exitValue(), Files.readString(log));
    }

    /** Whether the packaged application has Flyway (the gateway has no database). */
    private static boolean hasMigrations(Path jar) throws IOException {
        Path libraries = jar.getParent().resolve("lib").resolve("main");
        if (!Files.isDirectory(libraries)) {
            return false;
        }
        try (var files = Files.list(libraries)) {
            return files.anyMatch(file -> file.getFileName().toString().startsWith("io.quarkus.quarkus-flyway-"));
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited; log:\n" + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(management("/q/health/ready"))
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

    /** A path on the management interface, e.g. {@code /q/metrics}. */
    public URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
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
