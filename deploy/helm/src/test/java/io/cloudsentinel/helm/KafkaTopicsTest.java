package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

class KafkaTopicsTest {

    static final List<String> TOPICS = List.of("budget.alerts", "jobs.dlq", "jobs.events", "jobs.requested",
            "tenants.activity");

    @Test
    void byDefaultAHookJobCreatesTheTopicsWithPartitionsAndRetentionFromValues() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.TEST_VALUES,
                Map.of("kafka.topics.list.jobs\\.dlq.partitions", "9"));

        assertThat(rendered.ofKind("KafkaTopic")).isEmpty();
        Map<String, Object> job = rendered.named("Job", "cs-cloudsentinel-kafka-topics");
        assertThat(Yamls.string(job, "metadata", "annotations", ChartUnderTest.TEST_HOOK))
                .isEqualTo("pre-install,pre-upgrade");
        Map<String, Object> container = Yamls.containers(job).get(0);
        assertThat(container.get("image")).isEqualTo("cloudsentinel/bootstrap:0.1.0");
        assertThat(container.get("args")).isEqualTo(List.of("topics"));
        Map<String, String> env = env(container);
        // the bootstrap CLI's name:partitions:retentionMs list
        assertThat(env.get("CS_BOOTSTRAP_TOPICS")).isEqualTo("budget.alerts:6:604800000,jobs.dlq:9:2592000000,"
                + "jobs.events:12:604800000,jobs.requested:12:604800000,tenants.activity:6:86400000");
        assertThat(env.get("CS_BOOTSTRAP_REPLICATION_FACTOR")).isEqualTo("3");
        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka-bootstrap.kafka.svc:9092");
        assertThat(env.get("KAFKA_SECURITY_PROTOCOL")).isEqualTo("PLAINTEXT");
        assertThat(rendered.byComponent("NetworkPolicy")).containsKey("kafka-topics");
    }

    @Test
    void theTopicsJobTakesKafkaTlsAndSaslFromTheKafkaValues() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.TEST_VALUES, Map.of(
                "kafka.securityProtocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.existingSecret", "cs-kafka-user", "kafka.tls.caSecret", "cs-cluster-ca-cert"));

        Map<String, Object> job = rendered.named("Job", "cs-cloudsentinel-kafka-topics");
        Map<String, Object> container = Yamls.containers(job).get(0);
        Map<String, String> env = env(container);
        assertThat(env).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/cloudsentinel/kafka-ca/ca.crt");
        Map<String, Object> jaas = Yamls.list(container, "env").stream()
                .filter(e -> "KAFKA_SASL_JAAS_CONFIG".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(Yamls.string(jaas, "valueFrom", "secretKeyRef", "name")).isEqualTo("cs-kafka-user");
        assertThat(SecretReferenceTest.referencedSecrets(job)).containsExactlyInAnyOrder("cs-kafka-user",
                "cs-cluster-ca-cert");
    }

    /** The plain (non-secret) environment of a container. */
    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.TreeMap<>();
        for (Map<String, Object> variable : Yamls.list(container, "env")) {
            if (variable.get("value") != null) {
                env.put(variable.get("name").toString(), variable.get("value").toString());
            }
        }
        return env;
    }

    @Test
    void withStrimziTheTopicsAreKafkaTopicResourcesAndThereIsNoJob() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.TEST_VALUES, Map.of(
                "kafka.topics.management", "strimzi", "kafka.topics.strimzi.clusterName", "my-cluster"));

        assertThat(rendered.ofKind("Job")).noneMatch(job -> "kafka-topics".equals(Rendered.component(job)));
        assertThat(rendered.byComponent("NetworkPolicy")).doesNotContainKey("kafka-topics");
        List<Map<String, Object>> topics = rendered.ofKind("KafkaTopic");
        assertThat(topics).extracting(topic -> Yamls.string(topic, "spec", "topicName"))
                .containsExactlyInAnyOrderElementsOf(TOPICS);
        for (Map<String, Object> topic : topics) {
            assertThat(topic.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(Yamls.string(topic, "metadata", "labels", "strimzi.io/cluster")).isEqualTo("my-cluster");
            assertThat(Yamls.at(topic, "spec", "replicas")).isEqualTo(3);
            assertThat(Yamls.at(topic, "spec", "config", "retention.ms")).isInstanceOf(Number.class);
        }
        Map<String, Object> requested = topics.stream()
                .filter(topic -> "jobs.requested".equals(Yamls.string(topic, "spec", "topicName"))).findFirst()
                .orElseThrow();
        assertThat(Yamls.at(requested, "spec", "partitions")).isEqualTo(12);
    }

    @Test
    void strimziNeedsTheClusterName() {
        String failure = ChartUnderTest.renderFailure(ChartUnderTest.TEST_VALUES,
                Map.of("kafka.topics.management", "strimzi"));

        assertThat(failure).contains("kafka.topics.strimzi.clusterName is required");
    }

    @Test
    void withNoneTheChartLeavesTopicsAlone() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.TEST_VALUES,
                Map.of("kafka.topics.management", "none"));

        assertThat(rendered.ofKind("KafkaTopic")).isEmpty();
        assertThat(rendered.ofKind("Job")).noneMatch(job -> "kafka-topics".equals(Rendered.component(job)));
    }
}
