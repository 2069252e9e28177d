package io.cloudsentinel.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every service module that exists, started from its packaged jar and waited for until it is ready. */
final class ServicesPart implements AutoCloseable {

    private final LocalSettings settings;
    private final Progress progress;
    private final String kafkaBootstrap;
    /** By service name, in start order. */
    private final Map<String, ChildProcess> running = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final Map<String, Duration> readyIn = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ServicesPart(LocalSettings settings, Progress progress, String kafkaBootstrap) {
        this.settings = settings;
        this.progress = progress;
        this.kafkaBootstrap = kafkaBootstrap;
    }

    static List<ServiceModule> present(Path root) {
        return ServiceModule.ALL.stream()
                .filter(service -> Files.exists(root.resolve(service.directory()).resolve("pom.xml")))
                .toList();
    }

    List<ChildProcess> running() {
        synchronized (running) {
            return new ArrayList<>(running.values());
        }
    }

    void start(ServiceModule service) throws LaunchFailure {
        Path log = settings.logs.resolve(service.name() + ".log");
        Path jar = jar(service);
        if (!Files.exists(jar)) {
            throw new LaunchFailure(service.name(), jar + " is missing: build with ./mvnw -DskipTests package", null);
        }
        if (service.database().isPresent()) {
            migrate(service, jar, service.database().get(), log);
        }
        serve(service);
    }

    /** The service's jar serving on its schema as it is (a restart: no migration run first). */
    void serve(ServiceModule service) throws LaunchFailure {
        Path log = settings.logs.resolve(service.name() + ".log");
        Path jar = jar(service);
        ChildProcess current = running.get(service.name());
        if (current != null && current.isAlive()) {
            throw new IllegalStateException(service.name() + " is running");
        }
        ChildProcess process;
        try {
            process = ChildProcess.start(service.name(), List.of(ChildProcess.java(), "-Xmx256m", "-jar",
                    jar.toString()), environment(service), settings.root, log);
        } catch (IOException e) {
            throw new LaunchFailure(service.name(), "could not start", log, e);
        }
        running.put(service.name(), process);
        long spawned = System.nanoTime();
        awaitReady(service, process, Duration.ofSeconds(120));
        readyIn.put(service.name(), Duration.ofNanos(System.nanoTime() - spawned));
    }

    /** From the last start's spawn of the process to its readiness. */
    Optional<Duration> readyIn(ServiceModule service) {
        return Optional.ofNullable(readyIn.get(service.name()));
    }

    /** The running process of the service. */
    Optional<ChildProcess> process(ServiceModule service) {
        return Optional.ofNullable(running.get(service.name())).filter(ChildProcess::isAlive);
    }

    Path jar(ServiceModule service) {
        return settings.root.resolve(service.directory()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** SIGKILL: no shutdown hook, no graceful hand-back of leases. */
    void kill(ServiceModule service) throws InterruptedException {
        ChildProcess process = running.get(service.name());
        if (process != null) {
            process.kill();
        }
    }

    /** SIGTERM, as Kubernetes stops a pod, then SIGKILL after 20 s. */
    void stop(ServiceModule service) {
        ChildProcess process = running.get(service.name());
        if (process != null) {
            process.stop(20);
        }
    }

    /**
     * The schema first, as the Helm chart's hook Job does it: the same jar in the profile {@code migrate} with the
     * owner's credentials and nothing else; it migrates and exits. The service itself then runs as cs_app only.
     */
    void migrate(ServiceModule service, Path jar, String database, Path log) throws LaunchFailure {
        try {
            ChildProcess migration = ChildProcess.start(service.name() + " migration", List.of(ChildProcess.java(),
                    "-Xmx256m", "-jar", jar.toString()), migrationEnvironment(service, database), settings.root, log);
            java.util.OptionalInt exit = migration.awaitExit(120);
            if (exit.isEmpty() || exit.getAsInt() != 0) {
                throw new LaunchFailure(service.name(), "its migration " + (exit.isEmpty() ? "did not finish in 120 s"
                        : "exited with " + exit.getAsInt()), log);
            }
        } catch (IOException e) {
            throw new LaunchFailure(service.name(), "could not start its migration", log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchFailure(service.name(), "interrupted during its migration", log);
        }
    }

    /** The migration run's environment: the database as its owner, and no other secret. */
    Map<String, String> migrationEnvironment(ServiceModule service, String database) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", settings.profiles() + ",migrate");
        datasource(env, database, "cs_owner", settings.secret("owner-password"));
        return env;
    }

    private void datasource(Map<String, String> env, String database, String user, String password) {
        String hostPort = "127.0.0.1:" + settings.ports.postgres() + "/" + database;
        env.put("QUARKUS_DATASOURCE_USERNAME", user);
        env.put("QUARKUS_DATASOURCE_PASSWORD", password);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + hostPort);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + hostPort);
    }

    /** The configuration a service reads from its environment; the same variables a Kubernetes pod gets. */
    Map<String, String> environment(ServiceModule service) {
        Map<String, String> env = new HashMap<>();
        // prod settings and checks, plus "local" (unless production): the gateway then accepts the dev key pair it
        // refuses in prod
        env.put("QUARKUS_PROFILE", settings.profiles());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(settings.port(service)));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(settings.managementPort(service)));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        // the gateway signs with its private key, and so do services calling others for a tenant; receivers hold
        // only public keys: every service the gateway's, budget-service job-service's, crypto-service both callers'
        switch (service.name()) {
            case "gateway" -> env.put("CS_CONTEXT_SIGNING_KEY", settings.secret("context-gateway-private"));
            case "job-service", "budget-service" -> env.put("CS_CONTEXT_SIGNING_KEY",
                    settings.secret("context-" + service.name() + "-private"));
            default -> {
            }
        }
        env.put("CS_CONTEXT_GATEWAY_KEYS", settings.secret("context-gateway-public"));
        switch (service.name()) {
            case "budget-service" -> env.put("CS_CONTEXT_SERVICE_KEYS", settings.secret("context-job-service-public"));
            case "crypto-service" -> env.put("CS_CONTEXT_SERVICE_KEYS", settings.secret("context-job-service-public")
                    + "," + settings.secret("context-budget-service-public"));
            default -> {
            }
        }
        // analyses call the configured model endpoint, or the launcher's stub; local webhooks, self-hosted models and
        // cost export servers listen on this machine, so private destinations are allowed here (never in plain prod)
        if (service.name().equals("job-service")) {
            env.put("CS_JOBS_ANALYSIS_PLATFORM_BASE_URL", settings.llmEndpoint());
            env.put("CS_JOBS_ANALYSIS_PLATFORM_MODEL", settings.llmModel);
            env.put("CS_LLM_API_KEY", settings.llmApiKey());
            env.put("CS_JOBS_ANALYSIS_ALLOW_PRIVATE", "true");
            env.put("CS_JOBS_NOTIFICATION_ALLOW_PRIVATE", "true");
            env.put("CS_JOBS_COSTS_SOURCES_ALLOW_PRIVATE", "true");
        }
        if (service.name().equals("budget-service")) {
            env.put("CS_BUDGET_LLM_ALLOW_PRIVATE", "true");
        }
        env.put("ENCRYPTION_KEY", settings.secret("encryption-key"));
        env.put("KDF_SALT", settings.secret("kdf-salt"));
        // Only services that exist get a route URL: the gateway answers 503 "not deployed" for the others.
        for (ServiceModule other : present(settings.root)) {
            env.put(other.urlVariable(), "http://127.0.0.1:" + settings.port(other));
        }
        env.put("CS_JWT_PUBLIC_KEY_LOCATION", settings.tokens().publicKey().toString());
        env.put("CS_GATEWAY_OPERATORS_ISSUER", DevTokens.OPERATOR_ISSUER);
        env.put("CS_GATEWAY_OPERATORS_PUBLIC_KEY_LOCATION", settings.tokens().publicKey().toString());
        service.database().ifPresent(database -> datasource(env, database, "cs_app", settings.secret("app-password")));
        env.putAll(settings.extraEnvironment(service));
        return env;
    }

    /** A process started by {@link #serveAlso}, and the port its health and metrics answer on. */
    record Extra(ChildProcess process, int managementPort) {
    }

    /**
     * Another process of the service from {@code jar} (a previous release's), with the service's environment but
     * ports of its own, on {@code database} (the service's own, or another bootstrapped beside it) and with
     * {@code variables} on top; the caller stops it. For upgrade scenarios: old code serving on the new schema. A
     * release from before the management interface serves health and metrics on its HTTP port.
     */
    Extra serveAlso(ServiceModule service, Path jar, String database, Map<String, String> variables, int httpPort,
            int managementPort, Path log) throws LaunchFailure {
        Map<String, String> env = environment(service);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        datasource(env, database, "cs_app", settings.secret("app-password"));
        env.putAll(variables);
        ChildProcess process;
        try {
            process = ChildProcess.start(service.name() + " (" + jar + ")", List.of(ChildProcess.java(), "-Xmx256m",
                    "-jar", jar.toString()), env, settings.root, log);
        } catch (IOException e) {
            throw new LaunchFailure(service.name(), "could not start " + jar, log, e);
        }
        try {
            return new Extra(process, awaitReady(service.name(), List.of(managementPort, httpPort), process,
                    Duration.ofSeconds(120)));
        } catch (LaunchFailure failure) {
            process.stop(5);
            throw failure;
        }
    }

    private void awaitReady(ServiceModule service, ChildProcess process, Duration timeout) throws LaunchFailure {
        awaitReady(service.name(), List.of(settings.managementPort(service)), process, timeout);
    }

    /** Waits until {@code /q/health/ready} answers 200 on one of the ports; that port. */
    private int awaitReady(String name, List<Integer> ports, ChildProcess process, Duration timeout)
            throws LaunchFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LaunchFailure(name, "exited during start-up", process.log);
            }
            for (int port : ports) {
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness(port))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return port;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LaunchFailure(name, "interrupted while it started", process.log);
                }
            }
            sleep(500);
        }
        throw new LaunchFailure(name, "not ready after " + timeout.toSeconds() + " s at " + readiness(ports.get(0)),
                process.log);
    }

    private static URI readiness(int port) {
        return URI.create("http://127.0.0.1:" + port + "/q/health/ready");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        List<ChildProcess> processes = running();
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop(20);
        }
        progress.info("  ✓ services stopped");
    }
}
