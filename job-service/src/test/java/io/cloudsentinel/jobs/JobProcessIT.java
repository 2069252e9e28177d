package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.waitAtMost;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.kafka.Topics;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.PostgresServer;

/**
 * job-service as it is deployed: the packaged jar as processes (prod profile) on the shared PostgreSQL and Kafka,
 * fed through jobs.requested by a plain producer. A consumer restarted and given every record again, and an instance
 * stopped while it runs jobs: no job is lost, none runs to completion twice, each has one COMPLETED event. (An
 * instance killed with SIGKILL under load is e2e's JobServiceKilledIT, on the whole suite.)
 */
class JobProcessIT {

    private static final String DATABASE = "cloudsentinel_jobs_it";
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final String GROUP = "job-service";
    private static final String GATEWAY_KEYS = ContextKeys.generate("it-gateway").publicKey();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaServer.shared().bootstrapServers()), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @Test
    void recordsDeliveredAgainAfterARestartAreTheSameJobs() throws Exception {
        TenantId tenant = TenantId.random();
        List<UUID> jobs = new ArrayList<>();
        try (PackagedService instance = start()) {
            for (int i = 0; i < 20; i++) {
                UUID job = UUID.randomUUID();
                jobs.add(job);
                request(tenant, job, "again-" + i, 0);
            }
            waitAtMost(WITHIN).until(() -> count("jobs", tenant, "state = 'COMPLETED'") == 20);
        }
        // the group is empty once the instance left it: every record of jobs.requested is delivered again
        long records = rewindTheGroup();
        try (PackagedService restarted = start()) {
            waitAtMost(WITHIN).alias("the restarted consumer read every record once more")
                    .until(() -> committedRecords() >= records);
            assertThat(count("jobs", tenant, "true")).as(restarted.log()).isEqualTo(20);
            assertThat(count("job_attempts", tenant, "true")).as("no job ran again").isEqualTo(20);
            for (UUID job : jobs) {
                assertThat(completedEvents(tenant, job)).isEqualTo(1);
            }
        }
    }

    @Test
    void anInstanceStoppedWhileItRunsJobsGivesThemBackAndAnotherCompletesThem() throws Exception {
        List<TenantId> tenants = new ArrayList<>();
        PackagedService draining = start("cs.jobs.worker.shutdown-deadline=300ms");
        try {
            for (int t = 0; t < 8; t++) {
                TenantId tenant = TenantId.random();
                tenants.add(tenant);
                for (int i = 0; i < 4; i++) {
                    request(tenant, UUID.randomUUID(), "drain-" + i, 8_000);
                }
            }
            waitAtMost(WITHIN).alias("the first instance runs all 32").until(() -> running(tenants) == 32);
        } finally {
            draining.close();
        }
        try (PackagedService taker = start()) {
            waitAtMost(WITHIN).alias("another instance completes them")
                    .until(() -> tenants.stream().mapToLong(tenant -> count("jobs", tenant, "state = 'COMPLETED'"))
                            .sum() == 32);
            for (TenantId tenant : tenants) {
                assertThat(count("job_attempts", tenant, "outcome = 'RELEASED'")).as(draining.log()).isEqualTo(4);
                assertThat(count("job_attempts", tenant, "outcome = 'LEASE_EXPIRED'"))
                        .as("given back, not left to expire").isZero();
                assertThat(count("job_attempts", tenant, "outcome = 'COMPLETED'")).isEqualTo(4);
            }
        }
    }

    private static long running(List<TenantId> tenants) {
        return tenants.stream().mapToLong(tenant -> count("jobs", tenant, "state = 'RUNNING'")).sum();
    }

    /** Not only a profile named prod is strict: a packaged service named staging refuses the published test key. */
    @Test
    void aPackagedInstanceOfAnyProfileRefusesAPublishedContextKey() {
        assertThatThrownBy(() -> PackagedService.start(DATABASE,
                Map.of("CS_CONTEXT_GATEWAY_KEYS", ContextTestKeys.GATEWAY_PUBLIC), "quarkus.profile=staging",
                "kafka.bootstrap.servers=" + KafkaServer.shared().bootstrapServers()))
                .hasMessageContaining("refusing to start").hasMessageContaining("cs.context.gateway-keys")
                .hasMessageContaining("published");
    }

    // --- the instances ---

    /** A packaged instance with short heartbeats, leases and backoff, its outbox relay on. */
    private static PackagedService start(String... more) throws Exception {
        List<String> properties = new ArrayList<>(List.of(
                "kafka.bootstrap.servers=" + KafkaServer.shared().bootstrapServers(),
                "cs.outbox.enabled=true",
                "cs.outbox.poll-interval=100ms",
                "cs.jobs.worker.heartbeat-interval=300ms",
                "cs.jobs.worker.lease-grace=1s",
                "cs.jobs.worker.rescue-interval=300ms",
                "cs.jobs.worker.slots=64",
                "cs.jobs.types.noop.backoff-base=100ms",
                "cs.jobs.types.noop.backoff-cap=200ms",
                "quarkus.datasource.reactive.max-size=8",
                // a killed consumer leaves the group after 6 s (the broker's least), not the default 45 s
                "mp.messaging.incoming.jobs-requested.session.timeout.ms=6000",
                "mp.messaging.incoming.jobs-requested.heartbeat.interval.ms=1000"));
        properties.addAll(List.of(more));
        return PackagedService.start(DATABASE, Map.of("CS_CONTEXT_GATEWAY_KEYS", GATEWAY_KEYS),
                properties.toArray(String[]::new));
    }

    // --- Kafka ---

    /** A noop job request of the tenant, holding {@code holdMillis}, as an external producer sends it. */
    private static void request(TenantId tenant, UUID job, String dedupKey, long holdMillis) throws Exception {
        String value = "{\"schemaVersion\":1,\"jobId\":\"" + job + "\",\"tenantId\":\"" + tenant
                + "\",\"jobType\":\"noop\",\"dedupKey\":\"" + dedupKey + "\",\"payload\":{\"holdMillis\":"
                + holdMillis + "}}";
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.JOBS_REQUESTED, tenant.toString(), value);
        EventHeaders.newEvent(tenant, null).writeTo(record.headers());
        producer.send(record).get();
    }

    /** Moves the service's group back to the start of jobs.requested; the records it will read again. */
    private static long rewindTheGroup() throws Exception {
        try (Admin admin = admin()) {
            waitAtMost(WITHIN).alias("the stopped consumer left its group").until(() -> admin
                    .describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).members().isEmpty());
            Map<TopicPartition, Long> earliest = offsets(admin, OffsetSpec.earliest());
            admin.alterConsumerGroupOffsets(GROUP, earliest.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, entry -> new OffsetAndMetadata(entry.getValue())))).all().get();
            Map<TopicPartition, Long> latest = offsets(admin, OffsetSpec.latest());
            return latest.entrySet().stream().mapToLong(entry -> entry.getValue() - earliest.get(entry.getKey()))
                    .sum();
        }
    }

    /** Records of jobs.requested the group has committed past since its rewind. */
    private static long committedRecords() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> earliest = offsets(admin, OffsetSpec.earliest());
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(entry -> entry.getKey().topic().equals(Topics.JOBS_REQUESTED) && entry.getValue() != null)
                    .mapToLong(entry -> entry.getValue().offset() - earliest.get(entry.getKey())).sum();
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, OffsetSpec spec) throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.JOBS_REQUESTED)).allTopicNames().get()
                .get(Topics.JOBS_REQUESTED).partitions().stream()
                .map(partition -> new TopicPartition(Topics.JOBS_REQUESTED, partition.partition())).toList();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(partition -> partition,
                partition -> spec))).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaServer.shared().bootstrapServers()));
    }

    /** COMPLETED events of the job on jobs.events, once the relay has sent every row of the tenant. */
    private static long completedEvents(TenantId tenant, UUID job) throws Exception {
        waitAtMost(WITHIN).alias("the tenant's outbox is relayed").until(() -> count("cs_outbox", tenant, "true") == 0);
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaServer.shared().bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS_EVENTS).stream()
                    .map(partition -> new TopicPartition(Topics.JOBS_EVENTS, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // by event id, as consumers deduplicate: the outbox is at-least-once (an instance stopped between the
            // broker's acknowledgement and the delete sends the row again, with the same id); a second run of the
            // job would be a second COMPLETED event with an id of its own
            Set<String> completed = new HashSet<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = JSON.readTree(record.value());
                    if (event.path("jobId").asText().equals(job.toString())
                            && event.path("state").asText().equals("COMPLETED")) {
                        completed.add(new String(record.headers().lastHeader(EventHeaders.EVENT_ID).value(),
                                StandardCharsets.UTF_8));
                    }
                }
            }
            return completed.size();
        }
    }

    // --- the database ---

    private static long count(String table, TenantId tenant, String condition) {
        try (Connection connection = system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table + " WHERE tenant_id = '"
                        + tenant + "' AND " + condition)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * cs_app on the audited system path, as the tests' Db does on their own database: the task jobs-it, granted here
     * what it reads (the jar's migrations grant only the service's own tasks).
     */
    private static Connection system() throws SQLException {
        try (Connection owner = DriverManager.getConnection(PostgresServer.shared().jdbcUrl(DATABASE),
                DatabaseBootstrap.OWNER_ROLE, PostgresServer.OWNER_PASSWORD);
                Statement statement = owner.createStatement()) {
            statement.execute("CALL cs_grant_system_task('jobs-it', 'jobs', 'read');"
                    + " CALL cs_grant_system_task('jobs-it', 'job_attempts', 'read');"
                    + " CALL cs_grant_system_task('jobs-it', 'cs_outbox', 'read')");
        }
        Connection connection = DriverManager.getConnection(PostgresServer.shared().jdbcUrl(DATABASE),
                DatabaseBootstrap.APP_ROLE, PostgresServer.APP_PASSWORD);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT set_config('role', 'cs_system', false),"
                    + " set_config('app.system_task', 'jobs-it', false)");
        }
        return connection;
    }

}
