package io.cloudsentinel.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything a topic holds, read from its beginning by a plain consumer without a group (as an auditing consumer
 * would), kept in order and read on in the background for as long as the test JVM lives; a restarted broker is
 * read on from where it was.
 */
final class TopicLog {

    /** A record as consumers see it: its headers by name (the last value of each) and its value. */
    record Event(String key, Map<String, String> headers, String value, int partition, long offset) {

        String header(String name) {
            return headers.get(name);
        }

        JsonNode json() {
            try {
                return Caller.JSON.readTree(value);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + value, e);
            }
        }
    }

    private static final Map<String, TopicLog> OPEN = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<Event> events = new ArrayList<>();

    private TopicLog(String topic) {
        Thread reader = new Thread(() -> read(topic), "e2e-topic-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    /** The log of a topic, one reader per topic for the whole run. */
    static TopicLog of(String topic) {
        return OPEN.computeIfAbsent(topic, TopicLog::new);
    }

    List<Event> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    /** The events of one tenant (by the {@code tenant-id} header). */
    List<Event> ofTenant(UUID tenant) {
        return events().stream().filter(event -> tenant.toString().equals(event.header("tenant-id"))).toList();
    }

    private void read(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SuiteUnderTest.stack().kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        synchronized (events) {
                            events.add(new Event(record.key(), headers(record), record.value(), record.partition(),
                                    record.offset()));
                        }
                    }
                } catch (org.apache.kafka.common.errors.RetriableException brokerAway) {
                    // the broker restarts in a fault scenario: the consumer reconnects and reads on
                }
            }
        }
    }

    private static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), Optional.ofNullable(header.value())
                    .map(value -> new String(value, StandardCharsets.UTF_8)).orElse(null));
        }
        return headers;
    }
}
