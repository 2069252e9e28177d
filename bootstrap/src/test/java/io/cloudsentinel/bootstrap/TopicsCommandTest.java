package io.cloudsentinel.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bootstrap topics} against a real (in-JVM KRaft) broker: partitions, retention, existing topics kept. */
class TopicsCommandTest {

    private static KafkaClusterTestKit cluster;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        Path directory = Files.createTempDirectory("cs-bootstrap-kafka-");
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setBaseDirectory(directory)
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setDeleteOnClose(true)
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void createsTheMissingTopicsWithTheirPartitionsAndRetentionAndLeavesExistingOnesAlone() throws Exception {
        admin.createTopics(List.of(new NewTopic("budget.alerts", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = Bootstrap.run(new String[] { "topics" }, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT",
                "CS_BOOTSTRAP_TOPICS", "jobs.requested:4:3600000,jobs.dlq:2,budget.alerts:5:60000",
                "CS_BOOTSTRAP_REPLICATION_FACTOR", "1"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(OutputStream.nullOutputStream()));

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("created [jobs.requested, jobs.dlq]");
        Map<String, TopicDescription> topics = admin
                .describeTopics(Set.of("jobs.requested", "jobs.dlq", "budget.alerts")).allTopicNames()
                .get(30, TimeUnit.SECONDS);
        assertThat(topics.get("jobs.requested").partitions()).hasSize(4);
        assertThat(topics.get("jobs.dlq").partitions()).hasSize(2);
        assertThat(topics.get("budget.alerts").partitions()).as("an existing topic is kept").hasSize(1);
        assertThat(retention("jobs.requested").value()).isEqualTo("3600000");
        assertThat(retention("jobs.dlq").isDefault()).as("no retention given: the broker's").isTrue();
        assertThat(retention("budget.alerts").isDefault()).isTrue();

        int again = Bootstrap.run(new String[] { "topics" }, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "CS_BOOTSTRAP_TOPICS", "jobs.requested:4:3600000", "CS_BOOTSTRAP_REPLICATION_FACTOR", "1"),
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(OutputStream.nullOutputStream()));
        assertThat(again).as("a second run is a no-op, not an error").isZero();
    }

    private static org.apache.kafka.clients.admin.ConfigEntry retention(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        return config.get("retention.ms");
    }
}
