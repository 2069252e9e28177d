package io.cloudsentinel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.cloudsentinel.bootstrap.KafkaNodeConfig;
import io.cloudsentinel.bootstrap.KafkaTopics;

/**
 * A real Kafka broker process (KRaft, broker and controller in one) from the kafka_2.13 jars that deploy/local/run
 * put in .local/kafka/lib; data under .local/kafka/data with a fixed cluster id, so it survives restarts.
 */
final class KafkaPart implements AutoCloseable {

    /** base64 of the 16 bytes "cloudsentinel001": fixed, so the formatted data directory keeps matching. */
    static final String CLUSTER_ID = "Y2xvdWRzZW50aW5lbDAwMQ";

    private final LocalSettings settings;
    private final Path home;
    private ChildProcess broker;

    KafkaPart(LocalSettings settings) {
        this.settings = settings;
        this.home = settings.local.resolve("kafka");
    }

    Path log() {
        return settings.logs.resolve("kafka.log");
    }

    String bootstrapServers() {
        return "127.0.0.1:" + settings.ports.kafka();
    }

    void start() throws LaunchFailure {
        String classpath = settings.kafkaClasspath;
        if (classpath.endsWith("/*") && !Files.isDirectory(Path.of(classpath.substring(0, classpath.length() - 2)))) {
            throw new LaunchFailure("kafka", "broker jars are missing in " + classpath
                    + " (deploy/local/run fetches them)", null);
        }
        try {
            Files.createDirectories(home);
            if (!Files.exists(home.resolve("data").resolve("meta.properties"))) {
                ChildProcess format = ChildProcess.start("kafka-format", concat(java(), "kafka.tools.StorageTool",
                        "format", "-t", CLUSTER_ID, "-c", writeConfig().toString()), Map.of(), home, log());
                waitForExit(format, Duration.ofSeconds(60));
            }
        } catch (IOException e) {
            throw new LaunchFailure("kafka", "could not format the broker's data directory", log(), e);
        }
        startBroker();
        try {
            KafkaTopics.create(bootstrapServers(), 3, (short) 1);
        } catch (Exception e) {
            throw new LaunchFailure("kafka", "could not create the topics", log(), e);
        }
    }

    ChildProcess process() {
        return broker;
    }

    /** Stops the broker (SIGTERM, as an orchestrator does) and keeps its data. */
    void stop() {
        if (broker != null) {
            broker.stop(30);
            broker = null;
        }
    }

    /** Starts the broker on its data again (after {@link #stop}); returns once it answers. */
    void startBroker() throws LaunchFailure {
        if (broker != null && broker.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        try {
            broker = ChildProcess.start("kafka", concat(java(), "kafka.Kafka", writeConfig().toString()), Map.of(),
                    home, log());
        } catch (IOException e) {
            throw new LaunchFailure("kafka", "could not start the broker", log(), e);
        }
        awaitReady(Duration.ofSeconds(90));
    }

    private List<String> java() throws IOException {
        return List.of(ChildProcess.java(), "-Xms256m", "-Xmx512m", "-Dlog4j2.configurationFile=" + writeLogConfig(),
                "-cp", settings.kafkaClasspath);
    }

    private void awaitReady(Duration timeout) throws LaunchFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000))) {
            while (System.nanoTime() < deadline) {
                if (!broker.isAlive()) {
                    throw new LaunchFailure("kafka", "the broker exited during start-up", log());
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new LaunchFailure("kafka", "not ready after " + timeout.toSeconds() + " s", log());
    }

    private Path writeConfig() throws IOException {
        Path config = home.resolve("server.properties");
        Files.writeString(config, "# written by the CloudSentinel local launcher on every start\n"
                + KafkaNodeConfig.combined(settings.ports.kafka(), settings.ports.kafkaController(), home.resolve("data"), 3));
        return config;
    }

    private Path writeLogConfig() throws IOException {
        Path config = home.resolve("log4j2.properties");
        Files.writeString(config, String.join("\n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "appender.stdout.type=Console",
                "appender.stdout.name=STDOUT",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=%d{ISO8601} %p [%c] %m%n",
                "logger.kafka.name=kafka",
                "logger.kafka.level=INFO",
                "logger.apache.name=org.apache.kafka",
                "logger.apache.level=WARN",
                ""));
        return config;
    }

    private static void waitForExit(ChildProcess process, Duration timeout) throws LaunchFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (process.isAlive()) {
            process.stop(5);
            throw new LaunchFailure("kafka", "formatting the data directory did not finish", process.log);
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        return java.util.stream.Stream.concat(head.stream(), java.util.Arrays.stream(tail)).toList();
    }

    @Override
    public void close() {
        stop();
    }
}
