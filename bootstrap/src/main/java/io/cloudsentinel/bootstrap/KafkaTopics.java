package io.cloudsentinel.bootstrap;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.cloudsentinel.platform.kafka.Topics;

/** Creates the suite's topics ({@link Topics}, named in platform-context) on a broker. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public static void create(String bootstrapServers, int partitions, short replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        create(new TopicPlan(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Topics.ALL.stream().map(topic -> new TopicSpec(topic, partitions, OptionalLong.empty())).toList(),
                replicationFactor));
    }

    /**
     * Creates the plan's topics that do not exist yet, with their partitions and retention; existing ones are left as
     * they are (neither their partitions nor their retention change). Returns the names it created.
     */
    public static List<String> create(TopicPlan plan) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(plan.clientConfig())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = plan.topics().stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> topic.toNewTopic(plan.replicationFactor()))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }
}
