package io.cloudsentinel.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.kafka.Topics;

class TopicPlanTest {

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9093,kafka-1:9093");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void takesTheServicesKafkaVariablesAsAdminClientSettingsAndNothingElse() {
        TopicPlan plan = TopicPlan.fromEnv(env(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/cloudsentinel/kafka-ca/ca.crt",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "KAFKA_SASL_MECHANISM_UNUSED", "x",
                "PATH", "/usr/bin"));

        assertThat(plan.clientConfig()).containsOnly(
                Map.entry("bootstrap.servers", "kafka-0:9093,kafka-1:9093"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("ssl.truststore.type", "PEM"),
                Map.entry("ssl.truststore.location", "/etc/cloudsentinel/kafka-ca/ca.crt"));
    }

    @Test
    void readsEachTopicsPartitionsAndRetention() {
        TopicPlan plan = TopicPlan.fromEnv(env(
                "CS_BOOTSTRAP_TOPICS", "jobs.requested:12:604800000, jobs.dlq:6:-1,tenants.activity:3",
                "CS_BOOTSTRAP_REPLICATION_FACTOR", "2"));

        assertThat(plan.topics()).containsExactly(
                new TopicSpec("jobs.requested", 12, OptionalLong.of(604800000L)),
                new TopicSpec("jobs.dlq", 6, OptionalLong.of(-1)),
                new TopicSpec("tenants.activity", 3, OptionalLong.empty()));
        assertThat(plan.replicationFactor()).isEqualTo((short) 2);
        assertThat(plan.topics().get(0).toNewTopic((short) 2).configs()).containsExactly(
                Map.entry("retention.ms", "604800000"));
        assertThat(plan.topics().get(2).toNewTopic((short) 2).configs()).as("the broker's default retention")
                .isNullOrEmpty();
    }

    @Test
    void withoutATopicListCreatesTheSuitesTopics() {
        TopicPlan plan = TopicPlan.fromEnv(env("CS_BOOTSTRAP_PARTITIONS", "4"));

        assertThat(plan.topics()).extracting(TopicSpec::name).containsExactlyElementsOf(Topics.ALL);
        assertThat(plan.topics()).extracting(TopicSpec::partitions).containsOnly(4);
        assertThat(plan.replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void namesWhatIsWrong() {
        Map<String, String> noServers = env();
        noServers.remove("KAFKA_BOOTSTRAP_SERVERS");
        assertThatThrownBy(() -> TopicPlan.fromEnv(noServers)).hasMessage("KAFKA_BOOTSTRAP_SERVERS is required");
        assertThatThrownBy(() -> TopicPlan.fromEnv(env("CS_BOOTSTRAP_TOPICS", "jobs.requested")))
                .hasMessageContaining("'jobs.requested' must be name:partitions[:retentionMs]");
        assertThatThrownBy(() -> TopicPlan.fromEnv(env("CS_BOOTSTRAP_TOPICS", "jobs.requested:0")))
                .hasMessage("partitions of jobs.requested must be a positive integer, got '0'");
        assertThatThrownBy(() -> TopicPlan.fromEnv(env("CS_BOOTSTRAP_TOPICS", "jobs.dlq:3:-2")))
                .hasMessage("retentionMs of jobs.dlq must be -1 or more, got '-2'");
        assertThatThrownBy(() -> TopicPlan.fromEnv(env("CS_BOOTSTRAP_TOPICS", "a:1,a:2")))
                .hasMessageContaining("names a topic twice");
        assertThatThrownBy(() -> TopicPlan.fromEnv(env("CS_BOOTSTRAP_REPLICATION_FACTOR", "three")))
                .hasMessage("CS_BOOTSTRAP_REPLICATION_FACTOR must be a positive integer, got 'three'");
    }

    @Test
    void itsTextHidesTheJaasLine() {
        TopicPlan plan = TopicPlan.fromEnv(env("KAFKA_SASL_JAAS_CONFIG", "... password=\"s3cret\";"));

        assertThat(plan.toString()).contains("kafka-0:9093").doesNotContain("s3cret");
    }
}
