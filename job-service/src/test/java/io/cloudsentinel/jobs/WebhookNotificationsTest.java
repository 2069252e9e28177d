package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.handler.FatalJobException;
import io.cloudsentinel.jobs.handlers.FlakyHandler;
import io.cloudsentinel.jobs.service.Notifications;
import io.cloudsentinel.jobs.store.AttemptEnd;
import io.cloudsentinel.jobs.store.JobClaim;
import io.cloudsentinel.platform.kafka.Topics;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.Reactive;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What becomes a notification job for a tenant's webhook: a {@code budget.alerts} record (once per event id, and only
 * for a subscribed type), a dead job (never a dead notification). Records go to one partition, in order, so that a
 * later record's notification shows that the ones before it were consumed.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
class WebhookNotificationsTest {

    private static final String URL = "https://93.184.215.14/hooks/cloudsentinel";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaProducer<String, String> producer;

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();

    @Inject
    TenantTransactions transactions;
    @Inject
    JobClaim jobClaim;
    @Inject
    AttemptEnd attemptEnd;

    @BeforeAll
    static void openProducer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaServer.shared().bootstrapServers()), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @BeforeEach
    void clean() {
        WebhookRows.clear();
    }

    @Test
    void aBudgetAlertIsOneNotificationHoweverOftenItIsDelivered() throws Exception {
        subscribe(tenant, "budget.threshold_crossed", "budget.exhausted");
        String crossed = UUID.randomUUID().toString();
        String exhausted = UUID.randomUUID().toString();

        produce(tenant.toString(), crossed, alert(tenant, "SOFT_THRESHOLD"));
        produce(tenant.toString(), crossed, alert(tenant, "SOFT_THRESHOLD"));
        produce(tenant.toString(), exhausted, alert(tenant, "EXHAUSTED"));

        await().atMost(WAIT).until(() -> notifications(tenant, "dedup_key = 'event:" + exhausted + "'") == 1);
        assertThat(notifications(tenant, "dedup_key = 'event:" + crossed + "'")).as("the redelivered alert").isOne();
        assertThat(notifications(tenant, "true")).isEqualTo(2);
        assertThat(notifications(tenant, "dedup_key = 'event:" + crossed + "' AND state = 'PENDING'"
                + " AND source = 'event' AND payload ->> 'type' = 'budget.threshold_crossed'"
                + " AND payload ->> 'eventId' = '" + crossed + "' AND payload ->> 'occurredAt' IS NOT NULL"
                + " AND payload -> 'data' ->> 'window' = 'MONTH' AND payload -> 'data' ->> 'spentMicros' = '850000'"
                + " AND payload -> 'data' ->> 'threshold' = 'SOFT_THRESHOLD'"
                + " AND payload -> 'data' -> 'schemaVersion' IS NULL")).isOne();
        assertThat(notifications(tenant, "dedup_key = 'event:" + exhausted + "'"
                + " AND payload ->> 'type' = 'budget.exhausted'")).isOne();
    }

    @Test
    void aTenantWithoutAWebhookOrWithoutTheSubscriptionIsNotNotified() throws Exception {
        subscribe(other, "budget.exhausted");
        String last = UUID.randomUUID().toString();

        produce(tenant.toString(), UUID.randomUUID().toString(), alert(tenant, "EXHAUSTED"));
        produce(other.toString(), UUID.randomUUID().toString(), alert(other, "SOFT_THRESHOLD"));
        produce(other.toString(), last, alert(other, "EXHAUSTED"));

        await().atMost(WAIT).until(() -> notifications(other, "dedup_key = 'event:" + last + "'") == 1);
        assertThat(notifications(tenant, "true")).as("no webhook").isZero();
        assertThat(notifications(other, "true")).as("threshold_crossed is not subscribed").isOne();
    }

    @Test
    void anInvalidAlertIsSkippedAndTheNextOneIsNotified() throws Exception {
        subscribe(tenant, "budget.threshold_crossed", "budget.exhausted");
        String id = tenant.toString();
        String valid = UUID.randomUUID().toString();

        produce(id, UUID.randomUUID().toString(), "not json");
        produce(id, UUID.randomUUID().toString(), null);
        produce(id, null, alert(tenant, "EXHAUSTED"));
        produce(null, UUID.randomUUID().toString(), alert(tenant, "EXHAUSTED"));
        produce("not-a-uuid", UUID.randomUUID().toString(), alert(tenant, "EXHAUSTED"));
        produce(id, UUID.randomUUID().toString(), alert(tenant, "HALF_WAY"));
        produce(id, UUID.randomUUID().toString(), alert(tenant, "EXHAUSTED").replace("\"schemaVersion\":1",
                "\"schemaVersion\":2"));
        // another tenant's alert under this tenant's header
        produce(id, UUID.randomUUID().toString(), alert(other, "EXHAUSTED"));
        // a value PostgreSQL's jsonb cannot hold
        produce(id, UUID.randomUUID().toString(), alert(tenant, "EXHAUSTED").replace("\"mode\":\"HARD\"",
                "\"mode\":\"HARD\\u0000\""));
        produce(id, valid, alert(tenant, "EXHAUSTED"));

        await().atMost(WAIT).until(() -> notifications(tenant, "dedup_key = 'event:" + valid + "'") == 1);
        assertThat(notifications(tenant, "true")).isOne();
    }

    @Test
    void aDeadJobNotifiesItsTenantsWebhookOnceAndADeadNotificationNothing() {
        subscribe(tenant, "job.dead_lettered");
        subscribe(other, "budget.exhausted");
        UUID dead = Jobs.submit(tenant, FlakyHandler.TYPE, "{\"failures\":1,\"fatal\":true}");
        UUID unsubscribed = Jobs.submit(other, FlakyHandler.TYPE, "{\"failures\":1,\"fatal\":true}");

        die(claim(FlakyHandler.TYPE, 2));

        assertThat(notifications(tenant, "true")).isOne();
        assertThat(notifications(tenant, "payload ->> 'type' = 'job.dead_lettered' AND state = 'PENDING'"
                + " AND payload -> 'data' ->> 'jobId' = '" + dead + "'"
                + " AND payload -> 'data' ->> 'jobType' = 'test_flaky' AND payload -> 'data' ->> 'reason' = 'fatal'"
                + " AND payload -> 'data' ->> 'attempts' = '1'"
                + " AND payload -> 'data' ->> 'error' = 'the payload can never work'")).isOne();
        assertThat(notifications(other, "true")).as("job " + unsubscribed + " of a webhook without the type")
                .isZero();

        // the notification itself dies: its death is published to jobs.dlq, but notifies nobody
        die(claim(Notifications.JOB_TYPE, 1));
        assertThat(WebhookRows.count("SELECT count(*) FROM jobs WHERE tenant_id = '" + tenant
                + "' AND job_type = 'notification' AND state = 'DEAD_LETTER'")).isOne();
        assertThat(notifications(tenant, "true")).isOne();
        assertThat(WebhookRows.count("SELECT count(*) FROM cs_outbox WHERE topic = 'jobs.dlq'"
                + " AND headers ->> 'job-type' = 'notification'")).isOne();
    }

    @Test
    void aNotificationCannotBeRequestedThroughTheApi() {
        Api.as(tenant).header("Idempotency-Key", "notify-me").body("{\"type\":\"notification\",\"payload\":{}}")
                .post("/api/v1/jobs").then().statusCode(422).contentType("application/problem+json");
        assertThat(notifications(tenant, "true")).isZero();
    }

    private static void subscribe(TenantId tenant, String... events) {
        String list = String.join("\",\"", events);
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"url\":\"" + URL + "\",\"events\":[\"" + list + "\"]}")
                .put("/api/v1/jobs/settings/webhook").then().statusCode(201);
    }

    private static long notifications(TenantId tenant, String condition) {
        return WebhookRows.count("SELECT count(*) FROM jobs WHERE tenant_id = '" + tenant
                + "' AND job_type = 'notification' AND (" + condition + ")");
    }

    /** On partition 0, so that the records are consumed in the order they are sent. */
    private static void produce(String tenantHeader, String eventId, String value) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.BUDGET_ALERTS, 0, tenantHeader, value);
        if (tenantHeader != null) {
            record.headers().add("tenant-id", tenantHeader.getBytes(StandardCharsets.UTF_8));
        }
        if (eventId != null) {
            record.headers().add("event-id", eventId.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
    }

    /** A budget-service alert as BudgetAlerts writes it. */
    private static String alert(TenantId tenant, String threshold) {
        return "{\"schemaVersion\":1,\"type\":\"budget.threshold-reached\",\"tenantId\":\"" + tenant + "\","
                + "\"window\":\"MONTH\",\"periodStart\":\"2026-12-01T00:00:00Z\",\"threshold\":\"" + threshold + "\","
                + "\"softAlertPercent\":80,\"mode\":\"HARD\",\"limitMicros\":1000000,\"spentMicros\":850000,"
                + "\"reservedMicros\":0,\"at\":\"" + Instant.now() + "\"}";
    }

    private List<JobClaim.Claimed> claim(String type, int expected) {
        JobClaim.Request request = new JobClaim.Request(10, List.of(type), List.of(30.0), List.of(10),
                "webhook-test", 30, 5);
        List<JobClaim.Claimed> claimed = Reactive.await(() -> transactions.asSystem(new SystemTask("job-claim"),
                connection -> jobClaim.claim(connection, request, Instant.now())));
        assertThat(claimed).hasSize(expected);
        return claimed;
    }

    /** Ends the attempts as a fatal failure does: dead at once, as the worker writes it. */
    private void die(List<JobClaim.Claimed> claimed) {
        List<AttemptEnd.End> ends = claimed.stream().map(job -> new AttemptEnd.End(job.tenant(), job.jobId(),
                job.leaseToken(), AttemptOutcome.Kind.FATAL.name(), JobState.DEAD_LETTER, Optional.empty(),
                Optional.of("the payload can never work"), Optional.of(FatalJobException.class.getName()),
                Optional.of("fatal"))).toList();
        Set<UUID> ended = Reactive.await(() -> transactions.asSystem(new SystemTask("job-end"),
                connection -> attemptEnd.end(connection, ends, Instant.now())));
        assertThat(ended).hasSize(claimed.size());
    }
}
