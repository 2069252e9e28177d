package io.cloudsentinel.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import io.cloudsentinel.bootstrap.KafkaTopics;

/**
 * One Kafka broker per test JVM, shared and stopped when the JVM exits. Chosen by {@link Backend#choose}:
 * {@code CS_TEST_KAFKA_BOOTSTRAP_SERVERS}, else Testcontainers when Docker answers, else an in-JVM KRaft broker
 * ({@link KafkaClusterTestKit}). The topics of DESIGN.md exist once it is up.
 */
public final class KafkaServer {

    public static final String BOOTSTRAP_ENV = "CS_TEST_KAFKA_BOOTSTRAP_SERVERS";

    private static KafkaServer shared;

    private final Backend backend;
    private final String bootstrapServers;

    private KafkaServer(Backend backend, String bootstrapServers) {
        this.backend = backend;
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized KafkaServer shared() {
        if (shared == null) {
            Backend backend = Backend.choose(System.getenv(BOOTSTRAP_ENV), Backend::dockerAnswers);
            shared = switch (backend) {
                case EXTERNAL -> new KafkaServer(backend, System.getenv(BOOTSTRAP_ENV));
                case TESTCONTAINERS -> container();
                case EMBEDDED -> embedded();
            };
            try {
                KafkaTopics.create(shared.bootstrapServers, 3, (short) 1);
            } catch (Exception e) {
                throw new IllegalStateException("could not create topics on " + shared.bootstrapServers, e);
            }
        }
        return shared;
    }

    private static KafkaServer container() {
        var container = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.1.1");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
        return new KafkaServer(Backend.TESTCONTAINERS, container.getBootstrapServers());
    }

    private static KafkaServer embedded() {
        return new KafkaServer(Backend.EMBEDDED, startEmbedded("cs-kafka-", SecurityProtocol.PLAINTEXT, Map.of()));
    }

    /** An in-JVM KRaft broker stopped with the JVM, its clients speaking {@code protocol}: its bootstrap servers. */
    static String startEmbedded(String directoryPrefix, SecurityProtocol protocol, Map<String, String> more) {
        try {
            // Our own directory: the test kit's default one is also deleted by a shutdown hook of Kafka's test
            // utilities, which races with the broker's shutdown and floods the log with storage errors.
            Path baseDirectory = Files.createTempDirectory(directoryPrefix);
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setBaseDirectory(baseDirectory)
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(protocol)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setDeleteOnClose(true);
            more.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }, "embedded-kafka-stop"));
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not start", e);
        }
    }

    public Backend backend() {
        return backend;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
