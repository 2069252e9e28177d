package io.cloudsentinel.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a batch of outbox rows with an idempotent producer ({@code acks=all}) and tells, row by row, whether the
 * broker acknowledged it. The plain Kafka client is used rather than a messaging channel because the relay must know,
 * per row and before it deletes the rows in its own transaction, that the broker has them.
 */
public class OutboxPublisher implements AutoCloseable {

    /** One claimed row, as it goes to Kafka. */
    public record Row(long id, String topic, String key, Map<String, String> headers, String payload) {
    }

    private final KafkaProducer<String, String> producer;
    private final Duration timeout;

    public OutboxPublisher(String bootstrapServers, Duration timeout) {
        this(bootstrapServers, timeout, Map.of());
    }

    /** @param security {@code security.protocol}, {@code sasl.*}, {@code ssl.*} (see {@code KafkaClientSecurity}) */
    public OutboxPublisher(String bootstrapServers, Duration timeout, Map<String, String> security) {
        Properties properties = new Properties();
        properties.putAll(security);
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
     * What became of one row of a batch: acknowledged, failed (with why), or held back unsent because an earlier row
     * of its key failed in this batch (its key's order comes first) or the broker was unreachable.
     */
    public record Delivery(Row row, Optional<Throwable> failure, boolean sent) {

        static Delivery held(Row row) {
            return new Delivery(row, Optional.empty(), false);
        }

        public boolean acked() {
            return sent && failure.isEmpty();
        }

        /** A failure a later attempt may mend (the broker away, a timeout), as Kafka classifies it. */
        public boolean retriable() {
            return failure.filter(cause -> cause instanceof RetriableException
                    || cause instanceof java.util.concurrent.TimeoutException).isPresent();
        }
    }

    /**
     * Sends the rows in order and completes, within the timeout, with what became of each one. A row that fails at
     * once holds back the later rows of its key; one that fails at once because the broker is unreachable holds back
     * the rest of the batch: while it is away each send blocks up to {@code max.block.ms} for metadata, and a batch of
     * a thousand rows must not wait a thousand times.
     */
    public CompletableFuture<List<Delivery>> send(List<Row> rows) {
        List<CompletableFuture<Delivery>> deliveries = new ArrayList<>(rows.size());
        Set<String> failedKeys = new HashSet<>();
        boolean unreachable = false;
        for (Row row : rows) {
            String key = row.topic() + "\n" + row.key();
            if (unreachable || failedKeys.contains(key)) {
                deliveries.add(CompletableFuture.completedFuture(Delivery.held(row)));
                continue;
            }
            ProducerRecord<String, String> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
            row.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            CompletableFuture<Delivery> delivery = new CompletableFuture<>();
            try {
                producer.send(record, (metadata, failure) -> delivery.complete(
                        new Delivery(row, Optional.ofNullable(failure), true)));
            } catch (RuntimeException e) {
                delivery.complete(new Delivery(row, Optional.of(e), true));
            }
            Delivery now = delivery.getNow(null);
            if (now != null && now.failure().isPresent()) {
                failedKeys.add(key);
                unreachable = now.retriable();
            }
            deliveries.add(delivery.completeOnTimeout(new Delivery(row, Optional.of(
                    new java.util.concurrent.TimeoutException("no acknowledgement within " + timeout)), true),
                    timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.allOf(deliveries.toArray(CompletableFuture<?>[]::new))
                .thenApply(done -> deliveries.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
