package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.kafka.Topics;

/** The servers the test resources hand out are real, bootstrapped, and chosen the documented way. */
class SharedServersTest {

    @Test
    void postgresComesFromTheDocumentedChoice() {
        Backend expected = Backend.choose(System.getenv(PostgresServer.URL_ENV), Backend::dockerAnswers);

        assertThat(PostgresServer.shared().backend()).isEqualTo(expected);
    }

    @Test
    void kafkaComesFromTheDocumentedChoice() {
        Backend expected = Backend.choose(System.getenv(KafkaServer.BOOTSTRAP_ENV), Backend::dockerAnswers);

        assertThat(KafkaServer.shared().backend()).isEqualTo(expected);
    }

    @Test
    void bootstrapIsIdempotentAndTheAppRoleCannotBypassRowSecurity() throws Exception {
        PostgresServer server = PostgresServer.shared();
        server.bootstrap("cloudsentinel_bootstrap_check");
        server.bootstrap("cloudsentinel_bootstrap_check");

        try (Connection app = DriverManager.getConnection(server.jdbcUrl("cloudsentinel_bootstrap_check"),
                DatabaseBootstrap.APP_ROLE, PostgresServer.APP_PASSWORD);
                Statement statement = app.createStatement();
                ResultSet role = statement.executeQuery(
                        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles"
                                + " WHERE rolname = current_user")) {
            assertThat(role.next()).isTrue();
            assertThat(List.of(role.getBoolean(1), role.getBoolean(2), role.getBoolean(3), role.getBoolean(4)))
                    .containsOnly(false);
        }
    }

    @Test
    void theBrokerHasTheTopicsAndCarriesRecords() throws Exception {
        String bootstrap = KafkaServer.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).containsAll(Topics.ALL);
        }
        String topic = "shared-servers-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "hello")).get(30, TimeUnit.SECONDS);
        }
        try (var consumer = new KafkaConsumer<String, String>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "g-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.iterator().next().value()).isEqualTo("hello");
        }
    }
}
