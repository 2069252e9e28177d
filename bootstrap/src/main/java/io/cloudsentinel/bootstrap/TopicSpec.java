package io.cloudsentinel.bootstrap;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import org.apache.kafka.clients.admin.NewTopic;

/** One topic to create: its partitions and, when given, its {@code retention.ms} (-1: keep forever). */
public record TopicSpec(String name, int partitions, OptionalLong retentionMs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(retentionMs, "retentionMs");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of " + name + " must be at least 1");
        }
    }

    /** Parses {@code name:partitions[:retentionMs]}, the form of {@code CS_BOOTSTRAP_TOPICS} entries. */
    static TopicSpec parse(String entry) {
        String[] parts = entry.trim().split(":");
        if (parts.length < 2 || parts.length > 3 || parts[0].isBlank()) {
            throw new BootstrapConfigException(
                    TopicPlan.TOPICS + " entry '" + entry + "' must be name:partitions[:retentionMs]");
        }
        int partitions = Env.parsePositive("partitions of " + parts[0], parts[1]);
        OptionalLong retention = OptionalLong.empty();
        if (parts.length == 3) {
            try {
                long value = Long.parseLong(parts[2].trim());
                if (value < -1) {
                    throw new NumberFormatException();
                }
                retention = OptionalLong.of(value);
            } catch (NumberFormatException e) {
                throw new BootstrapConfigException(
                        "retentionMs of " + parts[0] + " must be -1 or more, got '" + parts[2] + "'");
            }
        }
        return new TopicSpec(parts[0].trim(), partitions, retention);
    }

    NewTopic toNewTopic(short replicationFactor) {
        NewTopic topic = new NewTopic(name, partitions, replicationFactor);
        retentionMs.ifPresent(ms -> topic.configs(Map.of("retention.ms", Long.toString(ms))));
        return topic;
    }
}
