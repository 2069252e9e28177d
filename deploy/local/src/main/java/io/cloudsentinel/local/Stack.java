package io.cloudsentinel.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole suite on one machine, without Docker: embedded PostgreSQL bootstrapped with the suite's roles and
 * databases, a Kafka broker process with the topics, the model stub, and every service module that exists from its
 * packaged jar (migrated first as the chart's hook Job does, then serving as the app role in the prod profile). The
 * launcher ({@code deploy/local/run}) runs one with fixed ports and its state under .local/; the e2e suite runs one on
 * free ports in a directory of its own and uses the rest of this API to hurt it: kill a service, stop the broker.
 */
public final class Stack implements AutoCloseable {

    private final LocalSettings settings;
    private final Progress progress;
    private final PostgresPart postgres;
    private final KafkaPart kafka;
    private final ServicesPart services;
    private LocalModelStub stub;

    Stack(LocalSettings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
        this.postgres = new PostgresPart(settings);
        this.kafka = new KafkaPart(settings);
        this.services = new ServicesPart(settings, progress, kafka.bootstrapServers());
    }

    /** A stack for the checkout at {@code root} (where the services' packaged jars are). */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Starts every part in order and returns once each is ready; a part that does not come up is named. */
    public void start() throws LaunchFailure {
        try {
            settings.tokens().ensureKeys();
        } catch (IOException | GeneralSecurityException e) {
            throw new LaunchFailure("dev keys", "could not create the dev JWT key pair", null, e);
        }
        long t = progress.start("postgres", "embedded PostgreSQL 17 on 127.0.0.1:" + settings.ports.postgres()
                + (settings.durable ? "" : " (fsync off: throwaway data)"));
        postgres.start();
        progress.ready("postgres", t, "roles and databases bootstrapped");

        t = progress.start("kafka", "KRaft broker on " + kafka.bootstrapServers());
        kafka.start();
        recordChildren();
        progress.ready("kafka", t, "topics ready");

        t = progress.start("model stub", "http://127.0.0.1:" + settings.ports.stub());
        try {
            stub = LocalModelStub.start(settings.ports.stub(), settings.logs);
        } catch (IOException e) {
            throw new LaunchFailure("model stub", "cannot listen on 127.0.0.1:" + settings.ports.stub() + " ("
                    + e.getMessage() + "); set CS_LOCAL_STUB_PORT", null);
        }
        progress.ready("model stub", t, settings.llmBaseUrl.isPresent()
                ? "webhook receiver only (/webhooks/<name> -> " + settings.root.relativize(settings.logs)
                        + "/webhooks.log); analyses call " + settings.llmBaseUrl.get()
                : "A STUB, NOT A MODEL: canned answers with usage at /v1/chat/completions (set"
                        + " CS_LOCAL_LLM_BASE_URL for a real one); webhook receiver /webhooks/<name>");

        // the services start side by side (a JVM start is mostly waiting on class loading and the database), the
        // gateway last: it is ready only once its upstreams answer
        List<ServiceModule> present = ServicesPart.present(settings.root);
        List<ServiceModule> upstreams = present.stream().filter(service -> !service.name().equals("gateway")).toList();
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, upstreams.size()));
        try {
            List<java.util.concurrent.Future<?>> started = new ArrayList<>();
            for (ServiceModule service : upstreams) {
                started.add(starters.submit(() -> {
                    startService(service);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> start : started) {
                await(start);
            }
        } finally {
            starters.shutdownNow();
        }
        for (ServiceModule service : present) {
            if (!upstreams.contains(service)) {
                startService(service);
            }
        }
    }

    private void startService(ServiceModule service) throws LaunchFailure {
        long t = progress.start(service.name(), "http://127.0.0.1:" + settings.port(service));
        services.start(service);
        synchronized (this) {
            recordChildren();
        }
        progress.ready(service.name(), t, "ready");
    }

    private static void await(java.util.concurrent.Future<?> start) throws LaunchFailure {
        try {
            start.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof LaunchFailure failure) {
                throw failure;
            }
            throw new LaunchFailure("launcher", "a service's start failed", null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchFailure("launcher", "interrupted while services started", null);
        }
    }

    /** The names of the services this checkout has, in start order (the gateway last). */
    public List<String> serviceNames() {
        return ServicesPart.present(settings.root).stream().map(ServiceModule::name).toList();
    }

    /** A service's HTTP base URL, e.g. the gateway's {@code http://127.0.0.1:8080}. */
    public URI url(String service) {
        return URI.create("http://127.0.0.1:" + settings.port(ServiceModule.named(service)));
    }

    /** A path on a service's management interface (health, metrics). */
    public URI management(String service, String path) {
        return URI.create("http://127.0.0.1:" + settings.managementPort(ServiceModule.named(service)) + path);
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The superuser's JDBC URL of a database (user {@code postgres}, no password: the embedded server's). */
    public String postgresAdminUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + settings.ports.postgres() + "/" + database + "?user=postgres";
    }

    /** A JWT the gateway accepts: the tenant's, with these roles ({@code platform-admin} comes as an operator's). */
    public String token(String tenant, List<String> roles, Duration lifetime) {
        try {
            return settings.tokens().mint(tenant, "e2e-user", roles, lifetime);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not mint a dev token", e);
        }
    }

    /** How long the service's last start took, from its process's spawn to its readiness. */
    public Duration readyIn(String service) {
        return services.readyIn(ServiceModule.named(service)).orElseThrow(() -> new IllegalStateException(service
                + " has not started"));
    }

    /** The process id of the running service. */
    public long pid(String service) {
        return services.process(ServiceModule.named(service)).orElseThrow(() -> new IllegalStateException(service
                + " is not running")).pid();
    }

    /**
     * The gateway's private context key (Ed25519, PKCS#8 base64): a benchmark signs with it to call a service
     * around the gateway, measuring what the gateway adds. This stack's own generated key, never a deployment's.
     */
    public String gatewayContextKey() {
        return settings.secret("context-gateway-private");
    }

    /**
     * One more process of a service, from another jar (a previous release's), serving beside the stack's own on
     * ports of its own with the same database, broker and keys: old code on the new schema, as in the middle of a
     * rolling upgrade. Returns once it is ready; {@link Instance#close} stops it.
     */
    public Instance serveAlso(String service, Path jar) throws LaunchFailure {
        return serveAlso(service, jar, ServiceModule.named(service).database().orElseThrow(), Map.of());
    }

    /**
     * As {@link #serveAlso(String, Path)}, on another database (see {@link #createDatabase}) and with
     * {@code variables} on top of the service's environment (topics and consumer groups of its own, say): a
     * rehearsal of an upgrade that leaves the stack's own data alone.
     */
    public Instance serveAlso(String service, Path jar, String database, Map<String, String> variables)
            throws LaunchFailure {
        int http = freePort();
        Path log = settings.logs.resolve(service + "-" + http + ".log");
        ServicesPart.Extra extra = services.serveAlso(ServiceModule.named(service), jar, database, variables, http,
                freePort(), log);
        return new Instance(http, extra.managementPort(), log, extra.process());
    }

    /** A database beside the suite's, bootstrapped as theirs are (owned by cs_owner, cs_app may connect). */
    public void createDatabase(String name) throws LaunchFailure {
        postgres.bootstrap(List.of(name));
    }

    /**
     * Migrates {@code database} with a service's {@code jar}, as the chart's pre-upgrade hook Job does (the owner's
     * credentials, profile {@code migrate}); returns once the run exited 0, which may be while other processes serve
     * on that database.
     */
    public void migrate(String service, Path jar, String database) throws LaunchFailure {
        services.migrate(ServiceModule.named(service), jar, database, settings.logs.resolve(service + "-migration-"
                + database + ".log"));
    }

    /** A process started by {@link #serveAlso}. */
    public static final class Instance implements AutoCloseable {
        private final int http;
        private final int management;
        private final Path log;
        private final ChildProcess process;

        private Instance(int http, int management, Path log, ChildProcess process) {
            this.http = http;
            this.management = management;
            this.log = log;
            this.process = process;
        }

        public URI url() {
            return URI.create("http://127.0.0.1:" + http);
        }

        public URI management(String path) {
            return URI.create("http://127.0.0.1:" + management + path);
        }

        public Path log() {
            return log;
        }

        /** SIGTERM, then SIGKILL after 20 s. */
        @Override
        public void close() {
            process.stop(20);
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on loopback", e);
        }
    }

    /** The service's packaged jar in this checkout, the one the stack runs. */
    public Path jar(String service) {
        return services.jar(ServiceModule.named(service));
    }

    /** What a service's processes wrote (migration runs and every start). */
    public Path log(String service) {
        return settings.logs.resolve(service + ".log");
    }

    /** SIGKILL to a service: no shutdown hook runs, its leases are left to expire. */
    public void kill(String service) throws InterruptedException {
        services.kill(ServiceModule.named(service));
    }

    /** SIGTERM to a service, as Kubernetes stops a pod. */
    public void stop(String service) {
        services.stop(ServiceModule.named(service));
    }

    /** Starts a stopped or killed service again on its schema as it is; returns once it is ready. */
    public void restart(String service) throws LaunchFailure {
        services.serve(ServiceModule.named(service));
        recordChildren();
    }

    /** Stops the broker (SIGTERM) and keeps its data. */
    public void stopKafka() {
        kafka.stop();
    }

    /** Starts the stopped broker on its data again; returns once it answers. */
    public void startKafka() throws LaunchFailure {
        kafka.startBroker();
        recordChildren();
    }

    /** Where the launcher records its children's pids, so that a killed launcher's leftovers can be stopped. */
    static Path childrenFile(Path local) {
        return local.resolve("children.pids");
    }

    private void recordChildren() throws LaunchFailure {
        List<String> pids = new ArrayList<>();
        Optional.ofNullable(kafka.process()).ifPresent(broker -> pids.add(Long.toString(broker.pid())));
        services.running().forEach(service -> pids.add(Long.toString(service.pid())));
        try {
            Files.write(childrenFile(settings.local), pids);
        } catch (IOException e) {
            throw new LaunchFailure("launcher", "cannot record its children's pids", null, e);
        }
    }

    /** Stops what it started, services first and the database last. */
    @Override
    public void close() {
        services.close();
        if (stub != null) {
            stub.close();
        }
        kafka.close();
        progress.info("  ✓ kafka stopped");
        postgres.close();
        progress.info("  ✓ postgres stopped");
        try {
            Files.deleteIfExists(childrenFile(settings.local));
        } catch (IOException ignored) {
            // nothing left to stop then
        }
    }

    /** A stack's options; unset ones are the launcher's. */
    public static final class Builder {

        private final Path root;
        private Path state;
        private Ports ports = Ports.local();
        private boolean durable = true;
        private String kafkaClasspath;
        private Optional<String> modelBaseUrl = Optional.empty();
        private String model = LocalModelStub.MODEL;
        private String modelApiKey = LocalModelStub.API_KEY;
        private final Map<String, Map<String, String>> environment = new HashMap<>();
        private boolean production;

        private Builder(Path root) {
            this.root = root.toAbsolutePath().normalize();
            this.state = this.root.resolve(".local");
        }

        /** The directory for data, logs and generated secrets (default: .local/ of the checkout). */
        public Builder state(Path directory) {
            this.state = directory.toAbsolutePath().normalize();
            return this;
        }

        public Builder ports(Ports ports) {
            this.ports = ports;
            return this;
        }

        /** {@code false}: PostgreSQL with fsync and synchronous commit off, for data thrown away after the run. */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** Where the broker's classes are (default: {@code <state>/kafka/lib/*}, which deploy/local/run fills). */
        public Builder kafkaClasspath(String classpath) {
            this.kafkaClasspath = classpath;
            return this;
        }

        /** The model endpoint job-service's platform analyses call (default: the stack's own stub). */
        public Builder modelEndpoint(String baseUrl, String model, String apiKey) {
            this.modelBaseUrl = Optional.of(baseUrl);
            this.model = model;
            this.modelApiKey = apiKey;
            return this;
        }

        /**
         * {@code true}: the services in the plain {@code prod} profile, as deployed, with a generated identity
         * provider key of the usual exponent (the benchmark report); default: {@code prod,local}.
         */
        public Builder production(boolean production) {
            this.production = production;
            return this;
        }

        /** Variables given to one service on top of its own (shortened intervals, timeouts). */
        public Builder environment(String service, Map<String, String> variables) {
            ServiceModule.named(service);
            environment.computeIfAbsent(service, name -> new HashMap<>()).putAll(variables);
            return this;
        }

        public Stack build() throws IOException {
            LocalSettings settings = new LocalSettings(root, state, ports, LocalSettings.secrets(state), modelBaseUrl,
                    model, modelApiKey, durable, kafkaClasspath != null ? kafkaClasspath
                            : state.resolve("kafka").resolve("lib") + "/*",
                    environment, production);
            return new Stack(settings, new Progress(root));
        }
    }
}
