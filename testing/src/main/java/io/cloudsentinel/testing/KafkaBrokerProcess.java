package io.cloudsentinel.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.cloudsentinel.bootstrap.KafkaNodeConfig;

/**
 * A Kafka broker (KRaft, one combined node) in a child JVM that a test can stop and start again on the same ports
 * with the same data: what an outage test needs, and what the in-JVM test kit cannot do. It runs the broker classes
 * that are already on the test classpath ({@code kafka.Kafka}), so nothing is downloaded.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** Fixed, so the formatted data directory keeps matching across restarts. */
    private static final String CLUSTER_ID = "Y3MtdGVzdC1icm9rZXIwMQ";

    private final Path home;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBrokerProcess(Path home, int port, int controllerPort) {
        this.home = home;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a new data directory and starts the broker; returns once it accepts connections. */
    public static KafkaBrokerProcess start() throws IOException, InterruptedException {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(Files.createTempDirectory("cs-kafka-process-"), freePort(),
                freePort());
        broker.writeConfig();
        Process format = broker.java("kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c",
                broker.config().toString()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting the broker's data directory failed, see " + broker.log());
        }
        broker.startAgain();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker the way an orchestrator does (SIGTERM), waiting until the process is gone. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        process = null;
    }

    /** Starts the stopped broker on the same ports and data; returns once it accepts connections. */
    public void startAgain() throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("the broker is running");
        }
        process = java("kafka.Kafka", config().toString()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not start, see " + log());
            }
            Thread.sleep(200);
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() throws InterruptedException {
        stop();
        try (var paths = Files.walk(home)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it eventually
        }
    }

    private ProcessBuilder java(String mainClass, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xms128m", "-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    }

    private Path config() {
        return home.resolve("server.properties");
    }

    private Path log() {
        return home.resolve("broker.log");
    }

    private void writeConfig() throws IOException {
        Files.writeString(config(), KafkaNodeConfig.combined(port, controllerPort, home.resolve("data"), 1));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
