package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.waitAtMost;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.KafkaServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** tenants.activity, consumed from the real broker: monotonic activity, tiers, schedules of a new tenant. */
@QuarkusTest
@SchedulerTestResources
class ActivityTest {

    /** How long a published activity may take to be consumed and applied. */
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(30);

    private static KafkaProducer<String, String> producer;

    @Inject
    MeterRegistry registry;
    @Inject
    TierPolicy tiers;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaServer.shared().bootstrapServers()), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @Test
    void aNewTenantGetsTheSchedulesOfItsTierDueAtOnce() {
        TenantId tenant = TenantId.random();

        publishActivity(tenant, Instant.now());

        waitAtMost(APPLIED_WITHIN).until(() -> Db.count(schedulesOf(tenant)) == tiers.jobTypes(Tier.ACTIVE).size());
        assertThat(tier(tenant)).isEqualTo("ACTIVE");
        assertThat(Db.count(schedulesOf(tenant) + " AND next_run_at <= now()")).as("due at once")
                .isEqualTo(tiers.jobTypes(Tier.ACTIVE).size());
    }

    @Test
    void anOutOfOrderEventNeverLowersTheActivityOrTheTier() {
        TenantId tenant = TenantId.random();
        Instant recent = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        publishActivity(tenant, recent);
        waitAtMost(APPLIED_WITHIN)
                .until(() -> Db.count("SELECT count(*) FROM tenants WHERE tenant_id = '" + tenant + "'") == 1);
        double applied = applied();

        publishActivity(tenant, recent.minus(Duration.ofDays(30)));

        waitAtMost(APPLIED_WITHIN).until(() -> applied() >= applied + 1);
        assertThat(lastActivity(tenant)).isEqualTo(recent);
        assertThat(tier(tenant)).isEqualTo("ACTIVE");
    }

    @Test
    void aDormantTenantThatWakesUpRunsAtTheActiveIntervalFromItsNextSlot() {
        TenantId tenant = TenantId.random();
        publishActivity(tenant, Instant.now().minus(Duration.ofDays(30)));
        waitAtMost(APPLIED_WITHIN).until(() -> Db.count(schedulesOf(tenant)) == tiers.jobTypes(Tier.DORMANT).size());
        assertThat(tier(tenant)).isEqualTo("DORMANT");
        Db.execute("UPDATE schedules SET next_run_at = now() + interval '5 hours' WHERE tenant_id = '" + tenant + "'");

        publishActivity(tenant, Instant.now());

        waitAtMost(APPLIED_WITHIN).until(() -> Db.count(schedulesOf(tenant)) == tiers.jobTypes(Tier.ACTIVE).size());
        assertThat(tier(tenant)).isEqualTo("ACTIVE");
        assertThat(Db.count(schedulesOf(tenant) + " AND next_run_at <= now() + interval '1 hour'"))
                .as("every schedule runs within the active interval").isEqualTo(tiers.jobTypes(Tier.ACTIVE).size());
    }

    @Test
    void aRecordThatCannotBeUnderstoodIsSkippedAndTheNextOneApplied() {
        double rejected = registry.counter("cs.scheduler.activity.rejected").count();
        TenantId tenant = TenantId.random();
        producer.send(new ProducerRecord<>("tenants.activity", tenant.toString(), "not json"));
        ProducerRecord<String, String> noHeaders = new ProducerRecord<>("tenants.activity", tenant.toString(),
                "{\"schemaVersion\":1,\"occurredAt\":\"" + Instant.now() + "\"}");
        producer.send(noHeaders);

        publishActivity(tenant, Instant.now());

        waitAtMost(APPLIED_WITHIN)
                .until(() -> Db.count("SELECT count(*) FROM tenants WHERE tenant_id = '" + tenant + "'") == 1);
        assertThat(registry.counter("cs.scheduler.activity.rejected").count() - rejected).isEqualTo(2);
    }

    /**
     * The database refuses the first tenant's activity three times as if it were away (then takes it), and the
     * second tenant's for good: the first is applied once it is back, the second counted and skipped, and a third
     * tenant's, behind both on the same partition, still applied.
     */
    @Test
    void aDatabaseAwayIsWaitedForAndARecordItRefusesForGoodIsSkipped() throws SQLException {
        TenantId away = TenantId.random();
        TenantId refused = TenantId.random();
        TenantId after = TenantId.random();
        double failed = registry.counter("cs.scheduler.activity.failed").count();
        asOwner("CREATE SEQUENCE IF NOT EXISTS test_refusals",
                "CREATE OR REPLACE FUNCTION test_refuse_activity() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                        + " AS $$ BEGIN"
                        + " IF NEW.tenant_id = '" + away + "' AND nextval('test_refusals') <= 3 THEN"
                        + " RAISE EXCEPTION 'the test is away' USING ERRCODE = '57P03'; END IF;"
                        + " IF NEW.tenant_id = '" + refused + "' THEN"
                        + " RAISE EXCEPTION 'the test refuses this value' USING ERRCODE = '22023'; END IF;"
                        + " RETURN NEW; END $$",
                "SELECT setval('test_refusals', 1, false)",
                "CREATE TRIGGER test_refuse_activity BEFORE INSERT ON tenants FOR EACH ROW"
                        + " EXECUTE FUNCTION test_refuse_activity()");
        try {
            // one key, so one partition: the three records are consumed in this order
            for (TenantId tenant : List.of(away, refused, after)) {
                ProducerRecord<String, String> record = new ProducerRecord<>("tenants.activity", "one-key",
                        "{\"schemaVersion\":1,\"occurredAt\":\"" + Instant.now() + "\"}");
                EventHeaders.newEvent(tenant, null).writeTo(record.headers());
                producer.send(record);
            }
            producer.flush();

            waitAtMost(APPLIED_WITHIN).until(() -> Db.count(
                    "SELECT count(*) FROM tenants WHERE tenant_id = '" + after + "'") == 1);
        } finally {
            asOwner("DROP TRIGGER test_refuse_activity ON tenants");
        }
        assertThat(Db.count("SELECT count(*) FROM tenants WHERE tenant_id = '" + away + "'")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM tenants WHERE tenant_id = '" + refused + "'")).isZero();
        assertThat(registry.counter("cs.scheduler.activity.failed").count() - failed).isEqualTo(1);
    }

    private static void asOwner(String... statements) throws SQLException {
        try (Connection connection = java.sql.DriverManager.getConnection(Db.jdbcUrl(),
                io.cloudsentinel.bootstrap.DatabaseBootstrap.OWNER_ROLE,
                io.cloudsentinel.testing.PostgresServer.OWNER_PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private void publishActivity(TenantId tenant, Instant occurredAt) {
        ProducerRecord<String, String> record = new ProducerRecord<>("tenants.activity", tenant.toString(),
                "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"occurredAt\":\"" + occurredAt + "\"}");
        EventHeaders.newEvent(tenant, null).writeTo(record.headers());
        producer.send(record);
        producer.flush();
    }

    private double applied() {
        return registry.counter("cs.scheduler.activity.applied").count();
    }

    private static String schedulesOf(TenantId tenant) {
        return "SELECT count(*) FROM schedules WHERE tenant_id = '" + tenant + "'";
    }

    /** The tier as the service reports it (it is computed when asked for, by cs_tier(), not stored). */
    private static String tier(TenantId tenant) {
        return Api.as(tenant).get("/api/v1/schedules/me").then().statusCode(200).extract().path("tier");
    }

    private static Instant lastActivity(TenantId tenant) {
        return Instant.parse(text("SELECT to_char(last_activity_at AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM tenants WHERE tenant_id = '" + tenant + "'"));
    }

    private static String text(String sql) {
        try (Connection connection = Db.system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
