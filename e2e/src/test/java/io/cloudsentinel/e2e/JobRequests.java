package io.cloudsentinel.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** An external producer of {@code jobs.requested} records, with the headers job-service reads. */
final class JobRequests implements AutoCloseable {

    private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SuiteUnderTest.stack().kafkaBootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());

    private final String topic;

    JobRequests() {
        this("jobs.requested");
    }

    /** A producer to another topic than the suite's (an upgrade rehearsal's). */
    JobRequests(String topic) {
        this.topic = topic;
    }

    /** A record keyed by {@code key}, with {@code headerTenant} in its tenant-id header, as given. */
    void send(UUID headerTenant, UUID key, String eventId, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key.toString(), value);
        record.headers().add("tenant-id", headerTenant.toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("event-id", eventId.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    /** A valid noop request of the tenant under its dedup key. */
    void noop(UUID tenant, String dedupKey, long holdMillis) {
        send(tenant, tenant, UUID.randomUUID().toString(), """
                {"schemaVersion":1,"tenantId":"%s","jobType":"noop","dedupKey":"%s",\
                "payload":{"holdMillis":%d}}""".formatted(tenant, dedupKey, holdMillis));
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
