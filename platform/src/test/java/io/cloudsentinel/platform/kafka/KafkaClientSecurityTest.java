package io.cloudsentinel.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.outbox.OutboxPublisher;
import io.cloudsentinel.testing.SaslKafkaServer;

/** A service's own clients take the channels' security settings, and the outbox producer works with SASL. */
class KafkaClientSecurityTest {

    @Test
    void theSecuritySettingsAreTakenFromDottedKeysAndEnvironmentVariables() {
        Map<String, String> config = new HashMap<>(Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "kafka.ssl.truststore.location", "/etc/kafka/ca.p12",
                "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT",
                "kafka.bootstrap.servers", "broker:9093",
                "mp.messaging.incoming.x.sasl.mechanism", "PLAIN"));

        assertThat(KafkaClientSecurity.of(config.keySet(), config::get)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/ca.p12"));
    }

    @Test
    void theOutboxProducerReachesABrokerThatWantsSaslOnlyWithTheSettings() throws Exception {
        SaslKafkaServer broker = SaslKafkaServer.shared();
        String topic = "sasl-" + UUID.randomUUID();
        OutboxPublisher.Row row = new OutboxPublisher.Row(1, topic, "key", Map.of("event-id", "e-1"), "{\"n\":1}");

        try (OutboxPublisher without = new OutboxPublisher(broker.bootstrapServers(), Duration.ofSeconds(3))) {
            assertThat(without.send(List.of(row)).get()).singleElement()
                    .satisfies(delivery -> assertThat(delivery.acked()).isFalse());
        }
        try (OutboxPublisher with = new OutboxPublisher(broker.bootstrapServers(), Duration.ofSeconds(30),
                broker.clientSecurity())) {
            assertThat(with.send(List.of(row)).get()).singleElement()
                    .satisfies(delivery -> assertThat(delivery.acked()).as(delivery.toString()).isTrue());
        }

        Properties settings = new Properties();
        settings.putAll(broker.clientSecurity());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-test-" + UUID.randomUUID());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        assertThat(read).extracting(ConsumerRecord::value).containsExactly("{\"n\":1}");
    }
}
