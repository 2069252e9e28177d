package io.cloudsentinel.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaServer;

/** tenant-id, event-id and traceparent survive a real broker, and a record without them is refused. */
class EventHeadersTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void headersSurviveARoundTripThroughTheBroker() throws Exception {
        EventHeaders sent = EventHeaders.newEvent(TenantId.random(), TRACEPARENT);
        String topic = "event-headers-" + UUID.randomUUID();

        ConsumerRecord<String, String> received = roundTrip(topic, sent.tenant().toString(),
                sent.writeTo(new RecordHeaders()));

        assertThat(EventHeaders.readFrom(received.headers())).isEqualTo(sent);
    }

    @Test
    void aRecordWithoutTenantIsRefusedWithTheReason() throws Exception {
        var headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes());

        ConsumerRecord<String, String> received = roundTrip("event-headers-" + UUID.randomUUID(), "k", headers);

        assertThatThrownBy(() -> EventHeaders.readFrom(received.headers()))
                .isInstanceOf(InvalidEventHeadersException.class)
                .hasMessage("record has no tenant-id header");
    }

    @Test
    void aTenantThatIsNotAUuidIsRefused() {
        var headers = new RecordHeaders();
        headers.add(EventHeaders.TENANT_ID, "acme".getBytes());
        headers.add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes());

        assertThatThrownBy(() -> EventHeaders.readFrom(headers))
                .isInstanceOf(InvalidEventHeadersException.class)
                .hasMessageContaining("not a UUID");
    }

    @Test
    void writingReplacesEarlierValuesAndDropsAnInvalidTraceparent() throws Exception {
        var headers = new RecordHeaders();
        headers.add(EventHeaders.TENANT_ID, TenantId.random().toString().getBytes());
        EventHeaders event = new EventHeaders(TenantId.random(), UUID.randomUUID(), Optional.of("not-a-trace"));

        event.writeTo(headers);

        assertThat(headers.headers(EventHeaders.TENANT_ID)).hasSize(1);
        assertThat(EventHeaders.readFrom(headers)).isEqualTo(event);
        assertThat(EventHeaders.readFrom(headers).traceparent()).isEmpty();
    }

    private static ConsumerRecord<String, String> roundTrip(String topic, String key, Headers headers)
            throws Exception {
        String bootstrap = KafkaServer.shared().bootstrapServers();
        try (var producer = new KafkaProducer<String, String>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, null, key, "{}", headers)).get(30, TimeUnit.SECONDS);
        }
        try (var consumer = new KafkaConsumer<String, String>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record;
                }
            }
        }
        throw new AssertionError("no record arrived on " + topic);
    }
}
