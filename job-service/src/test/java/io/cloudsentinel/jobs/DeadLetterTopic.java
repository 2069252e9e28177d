package io.cloudsentinel.jobs;

import static org.awaitility.Awaitility.waitAtMost;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.cloudsentinel.platform.kafka.Topics;
import io.cloudsentinel.testing.KafkaServer;

/** Reads jobs.dlq from its beginning, as an operator's tool would: records are found by their key (the tenant). */
final class DeadLetterTopic implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();

    DeadLetterTopic() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaServer.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        for (PartitionInfo partition : consumer.partitionsFor(Topics.JOBS_DLQ)) {
            partitions.add(new TopicPartition(partition.topic(), partition.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The one dead letter keyed by {@code key}, once it arrived. */
    ConsumerRecord<String, byte[]> awaitOne(String key, Duration patience) {
        waitAtMost(patience).pollInSameThread().pollInterval(Duration.ofMillis(10)).alias("a dead letter of " + key)
                .until(() -> {
                    poll(Duration.ofMillis(200));
                    return keyed(key).size();
                }, found -> found > 0);
        List<ConsumerRecord<String, byte[]>> found = keyed(key);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " dead letters of " + key);
        }
        return found.get(0);
    }

    /** Every dead letter keyed by {@code key} among all the topic holds now. */
    List<ConsumerRecord<String, byte[]>> allOf(String key) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        waitAtMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(10))
                .alias("the end of " + Topics.JOBS_DLQ).until(() -> {
                    poll(Duration.ofMillis(200));
                    return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
                });
        return keyed(key);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void poll(Duration timeout) {
        consumer.poll(timeout).forEach(read::add);
    }

    private List<ConsumerRecord<String, byte[]>> keyed(String key) {
        return read.stream().filter(record -> key.equals(record.key())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
