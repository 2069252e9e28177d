package io.cloudsentinel.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a batch of outbox rows with an idempotent producer ({@code acks=all}) and completes when the broker has
 * acknowledged every one of them. The plain Kafka client is used rather than a messaging channel because the relay
 * must know, per batch and before it deletes the rows in its own transaction, that the broker has them.
 */
public class OutboxPublisher implements AutoCloseable {

    /** One claimed row, as it goes to Kafka. */
    public record Row(long id, String topic, String key, Map<String, String> headers, String payload) {
    }

    private final KafkaProducer<String, String> producer;
    private final Duration timeout;

    public OutboxPublisher(String bootstrapServers, Duration timeout) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"); // ordered with idempotence
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 5_000)));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 10_000)));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(timeout.toMillis(), 15_000)));
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        this.timeout = timeout;
    }

    /**
     * Completes when all rows are acknowledged, or fails with the first error. Stops at the first row that failed
     * at once: while the broker is unreachable each send blocks up to {@code max.block.ms} waiting for metadata, and
     * a batch of a thousand rows must not wait a thousand times.
     */
    public CompletableFuture<Void> send(List<Row> rows) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            ProducerRecord<String, String> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
            row.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            CompletableFuture<Void> ack = new CompletableFuture<>();
            try {
                producer.send(record, (metadata, failure) -> {
                    if (failure == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
            if (ack.isCompletedExceptionally()) {
                return ack;
            }
            acks[i] = ack;
        }
        return CompletableFuture.allOf(acks).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
