package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import io.cloudsentinel.jobs.handler.NotificationHandler;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.egress.HostResolver;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The {@code notification} handler against a receiver on 127.0.0.1 (private destinations allowed, as in tests),
 * with the real crypto-service holding the webhook's secret: what it sends verifies with the Standard Webhooks
 * library, retries keep the webhook-id and honour Retry-After, refusals and redirects end the job.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
@TestProfile(NotificationDeliveryTest.WithRebindingResolver.class)
class NotificationDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PATH = "/api/v1/jobs/settings/webhook";
    private static final String OCCURRED_AT = "2026-12-01T12:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebhookReceiver receiver;

    private final TenantId tenant = TenantId.random();

    @Inject
    Worker worker;
    /** Jobs.submit looks it up; injected here so that the container keeps it. */
    @Inject
    JobIntake intake;

    /** Resolves {@code rebind.test} to 127.0.0.1 the first time and to 127.0.0.2 (where nothing listens) after. */
    @Alternative
    @Singleton
    public static class RebindingResolver implements HostResolver {

        static final AtomicInteger ASKED = new AtomicInteger();

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            if (!host.equals("rebind.test")) {
                return HostResolver.SYSTEM.resolve(host);
            }
            return List.of(InetAddress.getByName(ASKED.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2"));
        }
    }

    public static class WithRebindingResolver implements QuarkusTestProfile {

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(RebindingResolver.class);
        }
    }

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void setUp() {
        WebhookRows.clear();
        receiver.reset();
        RebindingResolver.ASKED.set(0);
        worker.start();
    }

    @AfterEach
    void tearDown() {
        worker.stop(Duration.ZERO);
    }

    /** The tenant's webhook through the API; answers its secret, shown this once. */
    private String webhook(String url, String... events) {
        return Api.as(tenant, Roles.TENANT_ADMIN).body(Map.of("url", url, "events", List.of(events))).put(PATH)
                .then().statusCode(201).extract().path("secret");
    }

    private UUID notify(String type, String eventId) {
        return Jobs.submit(tenant, NotificationHandler.TYPE, """
                {"type": "%s", "eventId": "%s", "occurredAt": "%s", "data": {"analysisId": "a-1", "note": "naïve ✓"}}
                """.formatted(type, eventId, OCCURRED_AT));
    }

    private static void awaitState(UUID job, String state) {
        await().atMost(WAIT).until(() -> state.equals(JobRows.state(job)));
    }

    private static void verify(String secret, WebhookReceiver.Delivery delivery) throws Exception {
        new Webhook(secret).verify(delivery.body(), delivery.headers());
    }

    @Test
    void aNotificationIsDeliveredOnceSignedSoThatTheStandardLibraryVerifiesIt() throws Exception {
        String secret = webhook(receiver.url("/hook"), "analysis.completed");
        String eventId = UUID.randomUUID().toString();

        UUID job = notify("analysis.completed", eventId);
        awaitState(job, "COMPLETED");

        assertThat(receiver.deliveries()).hasSize(1);
        WebhookReceiver.Delivery delivery = receiver.deliveries().get(0);
        assertThat(delivery.path()).isEqualTo("/hook");
        assertThat(delivery.header("webhook-id")).isEqualTo(eventId);
        assertThat(delivery.header("content-type")).isEqualTo("application/json");
        JsonNode body = JSON.readTree(delivery.body());
        assertThat(body.path("type").asText()).isEqualTo("analysis.completed");
        assertThat(body.path("timestamp").asText()).isEqualTo(OCCURRED_AT);
        assertThat(body.path("data").path("note").asText()).isEqualTo("naïve ✓");
        assertThatCode(() -> verify(secret, delivery)).doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(WebhookSecret.generate(), delivery))
                .isInstanceOf(WebhookVerificationException.class);
        assertThat(WebhookRows.rowsHolding(secret.substring(6, 20))).as("rows holding the secret").isZero();
    }

    @Test
    void aServerErrorIsRetriedWithTheSameWebhookIdUntilDelivered() {
        String secret = webhook(receiver.url("/hook"), "analysis.completed");
        String eventId = UUID.randomUUID().toString();
        receiver.plan(new WebhookReceiver.Answer(500, Map.of()));

        UUID job = notify("analysis.completed", eventId);
        awaitState(job, "COMPLETED");

        assertThat(receiver.deliveries()).hasSize(2).allSatisfy(delivery -> {
            assertThat(delivery.header("webhook-id")).isEqualTo(eventId);
            assertThatCode(() -> verify(secret, delivery)).doesNotThrowAnyException();
        });
        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "'")).isEqualTo(2);
        assertThat(JobRows.text("SELECT error FROM job_attempts WHERE job_id = '" + job + "' AND attempt = 1"))
                .contains("answered 500").doesNotContain(secret.substring(6, 20));
    }

    @Test
    void tooManyRequestsWithRetryAfterIsNotRetriedBeforeThen() {
        webhook(receiver.url("/hook"), "analysis.completed");
        receiver.plan(new WebhookReceiver.Answer(429, Map.of("Retry-After", "2")));

        UUID job = notify("analysis.completed", UUID.randomUUID().toString());
        awaitState(job, "COMPLETED");

        // the type's backoff in tests is 100–200 ms: only Retry-After makes the retry wait 2 s
        List<WebhookReceiver.Delivery> deliveries = receiver.deliveries();
        assertThat(deliveries).hasSize(2);
        assertThat(Duration.between(deliveries.get(0).receivedAt(), deliveries.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(JobRows.text("SELECT error FROM job_attempts WHERE job_id = '" + job + "' AND attempt = 1"))
                .contains("answered 429", "retry after PT2S");
    }

    @Test
    void aClientErrorIsFatalAfterOneDelivery() {
        webhook(receiver.url("/hook"), "analysis.completed");
        receiver.plan(new WebhookReceiver.Answer(410, Map.of()));

        UUID job = notify("analysis.completed", UUID.randomUUID().toString());
        awaitState(job, "DEAD_LETTER");

        assertThat(JobRows.text("SELECT dead_reason FROM jobs WHERE id = '" + job + "'")).isEqualTo("fatal");
        assertThat(receiver.deliveries()).hasSize(1);
        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "'")).isEqualTo(1);
    }

    @Test
    void aRedirectIsNotFollowedAndEndsTheJob() {
        webhook(receiver.url("/hook"), "analysis.completed");
        receiver.plan(new WebhookReceiver.Answer(302, Map.of("Location", receiver.url("/elsewhere"))));

        UUID job = notify("analysis.completed", UUID.randomUUID().toString());
        awaitState(job, "DEAD_LETTER");

        assertThat(receiver.deliveries()).extracting(WebhookReceiver.Delivery::path).containsExactly("/hook");
        assertThat(JobRows.text("SELECT last_error FROM jobs WHERE id = '" + job + "'")).contains("redirect_refused");
    }

    @Test
    void duringARotationsGraceBothSignaturesAreSentAndAfterItOnlyTheNewOne() {
        String first = webhook(receiver.url("/hook"), "analysis.completed");
        String second = Api.as(tenant, Roles.TENANT_ADMIN).post(PATH + "/rotate-secret").then().statusCode(200)
                .extract().path("secret");

        awaitState(notify("analysis.completed", UUID.randomUUID().toString()), "COMPLETED");

        WebhookReceiver.Delivery during = receiver.deliveries().get(0);
        assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
        assertThatCode(() -> verify(first, during)).doesNotThrowAnyException();
        assertThatCode(() -> verify(second, during)).doesNotThrowAnyException();

        WebhookRows.execute("UPDATE webhook_settings SET previous_valid_until = now() - interval '1 second'"
                + " WHERE tenant_id = '" + tenant + "'");
        awaitState(notify("analysis.completed", UUID.randomUUID().toString()), "COMPLETED");

        WebhookReceiver.Delivery after = receiver.deliveries().get(1);
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        assertThatCode(() -> verify(second, after)).doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(first, after)).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void theNameIsLookedUpOnceAndTheRequestGoesToTheCheckedAddress() {
        webhook(receiver.url("/hook"), "analysis.completed");
        String url = "http://rebind.test:" + receiver.port() + "/hook";
        WebhookRows.execute("UPDATE webhook_settings SET url = '" + url + "' WHERE tenant_id = '" + tenant + "'");

        UUID job = notify("analysis.completed", UUID.randomUUID().toString());
        awaitState(job, "COMPLETED");

        // a second lookup would have answered 127.0.0.2, where nothing listens, and the job would not be done
        assertThat(RebindingResolver.ASKED).hasValue(1);
        assertThat(receiver.deliveries()).extracting(delivery -> delivery.header("host"))
                .containsExactly("rebind.test:" + receiver.port());
        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "'")).isEqualTo(1);
    }

    @Test
    void anEventTheWebhookNoLongerSubscribesToOrNoWebhookAtAllSendsNothing() {
        webhook(receiver.url("/hook"), "analysis.completed");
        UUID unsubscribed = notify("budget.exhausted", UUID.randomUUID().toString());
        awaitState(unsubscribed, "COMPLETED");

        WebhookRows.execute("DELETE FROM webhook_settings WHERE tenant_id = '" + tenant + "'");
        UUID noWebhook = notify("analysis.completed", UUID.randomUUID().toString());
        awaitState(noWebhook, "COMPLETED");

        assertThat(receiver.deliveries()).isEmpty();
    }
}
