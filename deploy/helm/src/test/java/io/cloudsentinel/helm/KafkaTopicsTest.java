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
        String script = Yamls.at(Yamls.containers(job).get(0), "args").toString();
        for (String topic : TOPICS) {
            assertThat(script).contains("--create --if-not-exists --topic " + topic + " ");
        }
        assertThat(script).contains("--topic jobs.dlq --partitions 9 ")
                .contains("--topic jobs.requested --partitions 12 ")
                .contains("--replication-factor 3 --config retention.ms=604800000");
        assertThat(rendered.byComponent("NetworkPolicy")).containsKey("kafka-topics");
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
