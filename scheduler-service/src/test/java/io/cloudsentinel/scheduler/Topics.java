package io.cloudsentinel.scheduler;

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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what reached a topic, as a consumer of jobs.requested would. */
public final class Topics {

    private Topics() {
    }

    /**
     * Every record of the topic from the beginning, once {@code expected} arrived; fails, naming how many did, when
     * they do not within {@code patience}.
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic, int expected,
            Duration patience) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            waitAtMost(patience).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .alias(expected + " records of " + topic)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                        return records.size();
                    }, read -> read >= expected);
            // a little longer, so that records beyond the expected number would be seen too
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
