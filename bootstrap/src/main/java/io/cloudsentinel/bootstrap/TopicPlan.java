package io.cloudsentinel.bootstrap;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.AdminClientConfig;

import io.cloudsentinel.platform.kafka.Topics;

/**
 * What {@code bootstrap topics} creates and how it reaches the brokers. The client settings are the services' own
 * environment ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM},
 * {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_TYPE}/{@code _LOCATION}, …): every {@code KAFKA_X_Y}
 * that names an admin-client setting {@code x.y}, so the chart gives this Job what it gives the services.
 */
public record TopicPlan(Map<String, Object> clientConfig, List<TopicSpec> topics, short replicationFactor) {

    /** {@code name:partitions[:retentionMs]}, comma-separated; unset: platform-context's topics, default partitions. */
    public static final String TOPICS = "CS_BOOTSTRAP_TOPICS";
    public static final String PARTITIONS = "CS_BOOTSTRAP_PARTITIONS";
    public static final String REPLICATION_FACTOR = "CS_BOOTSTRAP_REPLICATION_FACTOR";
    static final int DEFAULT_PARTITIONS = 6;
    private static final String KAFKA_PREFIX = "KAFKA_";

    public TopicPlan {
        clientConfig = Map.copyOf(clientConfig);
        topics = List.copyOf(topics);
    }

    public static TopicPlan fromEnv(Map<String, String> variables) {
        Env env = new Env(variables);
        Map<String, Object> client = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (name.startsWith(KAFKA_PREFIX) && value != null && !value.isBlank()) {
                String key = name.substring(KAFKA_PREFIX.length()).toLowerCase().replace('_', '.');
                if (AdminClientConfig.configNames().contains(key)) {
                    client.put(key, value.trim());
                }
            }
        });
        if (!client.containsKey(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new BootstrapConfigException("KAFKA_BOOTSTRAP_SERVERS is required");
        }
        List<TopicSpec> topics = env.optional(TOPICS)
                .map(list -> Arrays.stream(list.split(","))
                        .filter(entry -> !entry.isBlank())
                        .map(TopicSpec::parse)
                        .toList())
                .orElseGet(() -> {
                    int partitions = env.positiveInt(PARTITIONS, DEFAULT_PARTITIONS);
                    return Topics.ALL.stream()
                            .map(name -> new TopicSpec(name, partitions, OptionalLong.empty()))
                            .toList();
                });
        if (topics.isEmpty()) {
            throw new BootstrapConfigException(TOPICS + " names no topic");
        }
        if (topics.stream().map(TopicSpec::name).distinct().count() != topics.size()) {
            throw new BootstrapConfigException(TOPICS + " names a topic twice: " + env.required(TOPICS));
        }
        int replication = env.positiveInt(REPLICATION_FACTOR, 3);
        if (replication > Short.MAX_VALUE) {
            throw new BootstrapConfigException(REPLICATION_FACTOR + " is too large: " + replication);
        }
        return new TopicPlan(client, topics, (short) replication);
    }

    /** For logs: the JAAS line holds a password. */
    @Override
    public String toString() {
        return "TopicPlan[" + clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + ", "
                + topics.stream().map(TopicSpec::name).toList() + ", replication " + replicationFactor + "]";
    }
}
