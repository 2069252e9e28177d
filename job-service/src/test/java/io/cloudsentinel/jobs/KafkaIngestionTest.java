package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.waitAtMost;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.kafka.Topics;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.PostgresServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * jobs.requested from a plain producer on the real broker into the real database: each kind of poison record lands
 * in jobs.dlq with its reason and its bytes while the next valid record is stored; duplicates are one job; a database
 * failure is retried, neither acknowledged nor dead-lettered. Every test has tenants of its own.
 */
@QuarkusTest
@JobsTestResources
class KafkaIngestionTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** Above the default cs.jobs.ingestion.max-record-bytes (64 KiB), far below the broker's limit. */
    private static final int OVERSIZE_BYTES = 70_000;

    private static KafkaProducer<String, byte[]> producer;
    private static DeadLetterTopic deadLetters;

    @Inject
    MeterRegistry registry;
    @Inject
    JobTypes types;
    @Inject
    ObjectMapper json;

    @BeforeAll
    static void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaServer.shared().bootstrapServers(), ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000),
                new StringSerializer(), new ByteArraySerializer());
        deadLetters = new DeadLetterTopic();
    }

    @AfterAll
    static void closeClients() {
        producer.close();
        deadLetters.close();
    }

    /** A poison record of the tenant, what it is refused for, and the metric's type label. */
    record Poison(String name, DlqReason reason, String typeLabel, PoisonRecord record) {

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface PoisonRecord {
        ProducerRecord<String, byte[]> of(TenantId tenant);
    }

    static Stream<Arguments> poison() {
        return Stream.of(
                new Poison("not JSON", DlqReason.INVALID_JSON, "unknown",
                        tenant -> withHeaders(tenant, bytes("{not json"))),
                new Poison("schema version 2", DlqReason.SCHEMA_VERSION, "noop",
                        tenant -> withHeaders(tenant, bytes(request(tenant, "noop", "k-1")
                                .replace("\"schemaVersion\":1", "\"schemaVersion\":2")))),
                new Poison("a type without handler", DlqReason.UNKNOWN_TYPE, "unknown",
                        tenant -> withHeaders(tenant, bytes(request(tenant, "no_such_type", "k-1")))),
                new Poison("a payload its type's schema refuses", DlqReason.INVALID_JSON, "noop",
                        tenant -> withHeaders(tenant, bytes(request(tenant, "noop", "k-1")
                                .replace("\"payload\":{}", "\"payload\":{\"holdMillis\":\"later\"}")))),
                new Poison("another tenant in the value", DlqReason.TENANT_MISMATCH, "noop",
                        tenant -> withHeaders(tenant, bytes(request(TenantId.random(), "noop", "k-1")))),
                new Poison("no headers", DlqReason.MISSING_HEADERS, "noop",
                        tenant -> new ProducerRecord<>(Topics.JOBS_REQUESTED, tenant.toString(),
                                bytes(request(tenant, "noop", "k-1")))),
                new Poison("oversize", DlqReason.OVERSIZE, "unknown",
                        tenant -> withHeaders(tenant, bytes(request(tenant, "noop", "k-1")
                                .replace("\"payload\":{}", "\"payload\":{\"pad\":\"" + "x".repeat(OVERSIZE_BYTES)
                                        + "\"}")))))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poison")
    void aPoisonRecordIsDeadLetteredWithItsReasonAndTheNextValidOneIsStored(Poison poison) {
        TenantId tenant = TenantId.random();
        double counted = dlqCount(poison.typeLabel(), poison.reason());
        ProducerRecord<String, byte[]> record = poison.record().of(tenant);

        send(record);
        send(withHeaders(tenant, bytes(request(tenant, "noop", "after-the-poison"))));

        // keyed by the tenant, both are on one partition: once the second is stored the first was dealt with
        waitAtMost(WITHIN).until(() -> jobs(tenant, "state = 'PENDING' AND dedup_key = 'after-the-poison'") == 1);
        ConsumerRecord<String, byte[]> deadLetter = deadLetters.awaitOne(tenant.toString(), WITHIN);
        assertThat(DeadLetterTopic.header(deadLetter, "cs-dlq-reason")).isEqualTo(poison.reason().code());
        assertThat(DeadLetterTopic.header(deadLetter, "dead-letter-reason")).isNotBlank();
        assertThat(DeadLetterTopic.header(deadLetter, "dead-letter-exception-class-name"))
                .isEqualTo(JobRequestRefused.class.getName());
        assertThat(DeadLetterTopic.header(deadLetter, "dead-letter-topic")).isEqualTo(Topics.JOBS_REQUESTED);
        assertThat(DeadLetterTopic.header(deadLetter, EventHeaders.TENANT_ID)).as("routable to its tenant")
                .isEqualTo(tenant.toString());
        if (poison.reason() == DlqReason.OVERSIZE) {
            assertThat(deadLetter.value()).as("the head of the value, not the value")
                    .isEqualTo(Arrays.copyOf(record.value(), 1024));
            assertThat(DeadLetterTopic.header(deadLetter, "cs-dlq-original-size"))
                    .isEqualTo(Integer.toString(record.value().length));
        } else {
            assertThat(deadLetter.value()).as("the original bytes").isEqualTo(record.value());
        }
        assertThat(jobs(tenant, "true")).as("only the valid record became a job").isEqualTo(1);
        assertThat(dlqCount(poison.typeLabel(), poison.reason()) - counted).isEqualTo(1);
    }

    @Test
    void theSameDedupKeyDeliveredTwiceIsOneJob() throws Exception {
        TenantId tenant = TenantId.random();
        UUID jobId = UUID.randomUUID();
        String value = request(tenant, "noop", "slot-1").replace("{\"schemaVersion\":1,",
                "{\"schemaVersion\":1,\"jobId\":\"" + jobId + "\",\"priority\":3,");

        send(withHeaders(tenant, bytes(value)));
        send(withHeaders(tenant, bytes(value)));
        send(withHeaders(tenant, bytes(request(tenant, "noop", "marker"))));

        waitAtMost(WITHIN).until(() -> jobs(tenant, "dedup_key = 'marker'") == 1);
        assertThat(jobs(tenant, "dedup_key = 'slot-1'")).isEqualTo(1);
        assertThat(jobs(tenant, "id = '" + jobId + "' AND state = 'PENDING' AND source = 'kafka' AND priority = 3"
                + " AND max_attempts = " + types.of("noop").maxAttempts() + " AND request_hash = '"
                + RequestHash.of("noop", json.readTree("{}"), 3, Optional.empty()) + "'")).isEqualTo(1);
        assertThat(deadLetters.allOf(tenant.toString())).isEmpty();
    }

    @Test
    void anEventIdWithoutDedupKeyDeliveredTwiceIsOneJob() {
        TenantId tenant = TenantId.random();
        ProducerRecord<String, byte[]> record = withHeaders(tenant, bytes(request(tenant, "noop", null)));
        String eventId = new String(record.headers().lastHeader(EventHeaders.EVENT_ID).value(),
                StandardCharsets.UTF_8);

        send(record);
        send(new ProducerRecord<>(Topics.JOBS_REQUESTED, null, tenant.toString(), record.value(), record.headers()));
        send(withHeaders(tenant, bytes(request(tenant, "noop", "marker"))));

        waitAtMost(WITHIN).until(() -> jobs(tenant, "dedup_key = 'marker'") == 1);
        assertThat(jobs(tenant, "dedup_key = 'event:" + eventId + "'")).isEqualTo(1);
        assertThat(jobs(tenant, "true")).isEqualTo(2);
    }

    @Test
    void aRequestThatContradictsAStoredJobIsDeadLetteredAsAConflict() {
        TenantId tenant = TenantId.random();
        UUID jobId = UUID.randomUUID();
        String first = request(tenant, "noop", "first").replace("{\"schemaVersion\":1,",
                "{\"schemaVersion\":1,\"jobId\":\"" + jobId + "\",");
        double counted = dlqCount("noop", DlqReason.CONFLICT);

        send(withHeaders(tenant, bytes(first)));
        // the same dedup key for another payload, then the same job id under another dedup key
        send(withHeaders(tenant, bytes(request(tenant, "noop", "first").replace("\"payload\":{}",
                "\"payload\":{\"other\":true}"))));
        send(withHeaders(tenant, bytes(first.replace("\"dedupKey\":\"first\"", "\"dedupKey\":\"second\""))));
        send(withHeaders(tenant, bytes(request(tenant, "noop", "marker"))));

        waitAtMost(WITHIN).until(() -> jobs(tenant, "dedup_key = 'marker'") == 1);
        assertThat(jobs(tenant, "true")).isEqualTo(2);
        assertThat(deadLetters.allOf(tenant.toString())).hasSize(2).allSatisfy(deadLetter -> assertThat(
                DeadLetterTopic.header(deadLetter, "cs-dlq-reason")).isEqualTo("conflict"));
        assertThat(dlqCount("noop", DlqReason.CONFLICT) - counted).isEqualTo(2);
    }

    /**
     * A thousand records at once are stored a batch per statement; inside a batch, a duplicate finds its job, a
     * conflict and a value the database refuses are dead-lettered on their own, and every other record is one job.
     */
    @Test
    void aFloodIsStoredInBatchesAndEachRecordIsAnsweredOnItsOwn() throws SQLException {
        TenantId tenant = TenantId.random();
        asOwner("CREATE OR REPLACE FUNCTION test_refuse_value() RETURNS trigger LANGUAGE plpgsql"
                + " AS $$ BEGIN IF NEW.tenant_id = '" + tenant + "' AND NEW.dedup_key = 'flood-bad' THEN"
                + " RAISE EXCEPTION 'the test refuses this value' USING ERRCODE = '22023';"
                + " END IF; RETURN NEW; END $$",
                "CREATE TRIGGER test_refuse_value BEFORE INSERT ON jobs FOR EACH ROW"
                        + " EXECUTE FUNCTION test_refuse_value()");
        DistributionSummary batches = registry.get("cs_jobs_intake_batch_requests").summary();
        long statementsBefore = batches.count();
        double storedBefore = batches.totalAmount();
        try {
            for (int i = 0; i < 1_000; i++) {
                String value = switch (i) {
                    case 500 -> request(tenant, "noop", "flood-bad");
                    // the key of record 100 for another payload, then record 200 once more
                    case 700 -> request(tenant, "noop", "flood-100").replace("\"payload\":{}",
                            "\"payload\":{\"other\":true}");
                    case 800 -> request(tenant, "noop", "flood-200");
                    default -> request(tenant, "noop", "flood-" + i);
                };
                producer.send(withHeaders(tenant, bytes(value)));
            }
            producer.flush();

            waitAtMost(WITHIN).until(() -> deadLetters.allOf(tenant.toString()).size() >= 2);
            waitAtMost(WITHIN).until(() -> jobs(tenant, "true") >= 997);
        } finally {
            asOwner("DROP TRIGGER test_refuse_value ON jobs");
        }
        assertThat(deadLetters.allOf(tenant.toString())).extracting(
                deadLetter -> DeadLetterTopic.header(deadLetter, "cs-dlq-reason"))
                .containsExactlyInAnyOrder("invalid_json", "conflict");
        assertThat(jobs(tenant, "true")).isEqualTo(997);
        assertThat(jobs(tenant, "dedup_key = 'flood-bad'")).isZero();
        assertThat(jobs(tenant, "dedup_key = 'flood-100' AND payload = '{}'")).isEqualTo(1);
        assertThat((batches.totalAmount() - storedBefore) / (batches.count() - statementsBefore))
                .as("requests per intake statement").isGreaterThan(2);
    }

    @Test
    void aDatabaseFailureIsRetriedUntilTheJobIsStoredNeitherAckedNorDeadLettered() throws SQLException {
        TenantId tenant = TenantId.random();
        asOwner("CREATE SEQUENCE IF NOT EXISTS test_refused_inserts",
                "CREATE OR REPLACE FUNCTION test_refuse_tenant() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                        + " AS $$ BEGIN IF NEW.tenant_id = '" + tenant + "' THEN"
                        + " PERFORM nextval('test_refused_inserts');"
                        + " RAISE EXCEPTION 'the test refuses inserts of this tenant' USING ERRCODE = '53300';"
                        + " END IF; RETURN NEW; END $$",
                "CREATE TRIGGER test_refuse_tenant BEFORE INSERT ON jobs FOR EACH ROW"
                        + " EXECUTE FUNCTION test_refuse_tenant()");
        try {
            long before = refusedInserts();
            send(withHeaders(tenant, bytes(request(tenant, "noop", "through-the-outage"))));

            waitAtMost(WITHIN).until(() -> refusedInserts() >= before + 3);
            assertThat(jobs(tenant, "true")).isZero();
        } finally {
            asOwner("DROP TRIGGER test_refuse_tenant ON jobs");
        }

        waitAtMost(WITHIN).until(() -> jobs(tenant, "dedup_key = 'through-the-outage'") == 1);
        assertThat(deadLetters.allOf(tenant.toString())).as("a valid request is never dead-lettered").isEmpty();
    }

    private double dlqCount(String type, DlqReason reason) {
        Counter counter = registry.find("cs_jobs_dlq_total").tags("type", type, "reason", reason.code()).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A request as the scheduler writes it, without slot; no dedupKey when {@code dedupKey} is null. */
    private static String request(TenantId tenant, String type, String dedupKey) {
        return "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"jobType\":\"" + type + "\","
                + (dedupKey == null ? "" : "\"dedupKey\":\"" + dedupKey + "\",")
                + "\"source\":\"test\",\"payload\":{}}";
    }

    /** Keyed by the tenant, with the suite's headers (a fresh event id). */
    private static ProducerRecord<String, byte[]> withHeaders(TenantId tenant, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.JOBS_REQUESTED, tenant.toString(), value);
        EventHeaders.newEvent(tenant, null).writeTo(record.headers());
        return record;
    }

    private static void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + record.topic(), e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long jobs(TenantId tenant, String condition) {
        return Db.count("SELECT count(*) FROM jobs WHERE tenant_id = '" + tenant + "' AND " + condition);
    }

    private static long refusedInserts() throws SQLException {
        try (Connection connection = owner();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END"
                        + " FROM test_refused_inserts")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void asOwner(String... statements) throws SQLException {
        try (Connection connection = owner(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(Db.jdbcUrl(), DatabaseBootstrap.OWNER_ROLE, PostgresServer.OWNER_PASSWORD);
    }
}
