package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.crypto.SecretRefusedException;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A tenant's webhook settings through the API, with the real crypto-service, under the production destination
 * policy (no private destinations, https only): the secret is shown once and stored only sealed, rotations keep the
 * previous secret for the grace period and lose none when concurrent, bad input writes nothing, tenants are apart.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
@TestProfile(WebhookSettingsTest.PublicDestinationsOnly.class)
class WebhookSettingsTest {

    private static final String PATH = "/api/v1/jobs/settings/webhook";
    private static final String PROBLEM = "application/problem+json";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A public address (no lookup needed): the guard lets it pass, nothing is ever sent to it here. */
    private static final String URL = "https://93.184.215.14/hooks/cloudsentinel";
    private static final String BODY = "{\"url\":\"" + URL + "\",\"events\":[\"job.dead_lettered\",\"budget.exhausted\"]}";

    /** The destination policy of production: the test profile otherwise allows private destinations. */
    public static class PublicDestinationsOnly implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cs.jobs.notification.allow-private", "false");
        }
    }

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();

    @Inject
    TenantSecrets secrets;

    @BeforeEach
    void clean() {
        WebhookRows.clear();
    }

    @Test
    void theFirstSettingShowsTheSecretOnceAndStoresOnlyItsCiphertext() {
        Response created = admin(tenant).body(BODY).put(PATH);
        created.then().statusCode(201).body("url", equalTo(URL))
                .body("events", contains("budget.exhausted", "job.dead_lettered")).body("createdAt", notNullValue());
        String secret = created.path("secret");
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");

        String ciphertext = column(tenant, "secret_ciphertext");
        assertThat(ciphertext).startsWith("cs:v").doesNotContain(secret.substring(6));
        assertThat(secrets.open(tenant, "webhook_secret", ciphertext).await().atMost(WAIT)).isEqualTo(secret);
        assertThat(WebhookRows.rowsHolding("whsec_")).as("rows holding a plaintext secret").isZero();

        // a later setting changes the URL and events, keeps the secret and never shows it
        admin(tenant).body("{\"url\":\"" + URL + "/v2\",\"events\":[\"budget.threshold_crossed\"]}").put(PATH)
                .then().statusCode(200).body("url", equalTo(URL + "/v2"))
                .body("events", contains("budget.threshold_crossed")).body("secretSet", equalTo(true))
                .body("secret", nullValue());
        assertThat(column(tenant, "secret_ciphertext")).isEqualTo(ciphertext);
        assertThat(column(tenant, "url")).isEqualTo(URL + "/v2");
    }

    @Test
    void readingTheWebhookNeverShowsASecret() {
        admin(tenant).body(BODY).put(PATH).then().statusCode(201);
        admin(tenant).post(PATH + "/rotate-secret").then().statusCode(200);

        for (String role : List.of(Roles.TENANT_USER, Roles.TENANT_ADMIN)) {
            String body = Api.as(tenant, role).get(PATH).then().statusCode(200).body("url", equalTo(URL))
                    .body("secretSet", equalTo(true)).extract().asString();
            assertThat(body).doesNotContain("whsec_").doesNotContain("cs:v").doesNotContain("\"secret\"");
        }
    }

    @Test
    void aRotationKeepsThePreviousSecretSigningUntilTheGraceEnds() {
        String first = admin(tenant).body(BODY).put(PATH).path("secret");

        Instant before = Instant.now();
        Response rotated = admin(tenant).post(PATH + "/rotate-secret");
        Instant after = Instant.now();
        rotated.then().statusCode(200);
        String second = rotated.path("secret");
        Instant validUntil = Instant.parse(rotated.path("previousValidUntil"));

        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(validUntil).isBetween(before.plus(Duration.ofHours(24)).minusMillis(1),
                after.plus(Duration.ofHours(24)));
        assertThat(open(column(tenant, "secret_ciphertext"))).isEqualTo(second);
        assertThat(open(column(tenant, "previous_secret_ciphertext"))).isEqualTo(first);
        assertThat(Instant.parse(column(tenant, "to_char(previous_valid_until AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"))).isEqualTo(validUntil);
        Response shown = Api.as(tenant).get(PATH);
        shown.then().statusCode(200).body("rotatedAt", notNullValue());
        assertThat(Instant.parse(shown.path("previousValidUntil"))).isEqualTo(validUntil);
        assertThat(WebhookRows.rowsHolding("whsec_")).isZero();
    }

    @Test
    void twoRotationsAtOnceLoseNeitherNewSecret() throws Exception {
        admin(tenant).body(BODY).put(PATH).then().statusCode(201);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<String>> rotations = new ArrayList<>();
                for (int caller = 0; caller < 2; caller++) {
                    rotations.add(CompletableFuture.supplyAsync(() -> {
                        await(together);
                        return admin(tenant).post(PATH + "/rotate-secret").then().statusCode(200).extract()
                                .<String> path("secret");
                    }, callers));
                }
                Set<String> shown = new HashSet<>();
                for (CompletableFuture<String> rotation : rotations) {
                    shown.add(rotation.get(60, TimeUnit.SECONDS));
                }
                assertThat(shown).hasSize(2);
                // the later rotation moved the earlier one's secret to previous: both sign
                assertThat(Set.of(open(column(tenant, "secret_ciphertext")),
                        open(column(tenant, "previous_secret_ciphertext")))).as("round " + round).isEqualTo(shown);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void badSettingsAreProblemsAndWriteNothing() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry(settings("http://93.184.215.14/hooks", "budget.exhausted"), "destination-refused"),
                Map.entry(settings("https://127.0.0.1/hooks", "budget.exhausted"), "destination-refused"),
                Map.entry(settings("https://10.1.2.3/hooks", "budget.exhausted"), "destination-refused"),
                Map.entry(settings("https://169.254.169.254/latest", "budget.exhausted"), "destination-refused"),
                Map.entry(settings("https://user:pw@93.184.215.14/hooks", "budget.exhausted"), "destination-refused"),
                Map.entry(settings("ftp://93.184.215.14/hooks", "budget.exhausted"), "destination-refused"),
                Map.entry(settings("not a url", "budget.exhausted"), "destination-refused"),
                Map.entry(settings("https://", "budget.exhausted"), "destination-refused"),
                Map.entry(settings(URL, "budget.exploded"), "unknown-event-type"));
        refused.forEach((body, type) -> admin(tenant).body(body).put(PATH).then().statusCode(422)
                .contentType(PROBLEM).body("type", equalTo("https://cloudsentinel.dev/problems/" + type)));

        admin(tenant).body(settings("http://93.184.215.14/hooks", "budget.exhausted")).put(PATH).then()
                .body("reason", equalTo("scheme-not-allowed"));
        admin(tenant).body(settings("https://127.0.0.1/hooks?token=s3cr3t", "budget.exhausted")).put(PATH).then()
                .body("reason", equalTo("loopback")).body("detail", not(containsString("s3cr3t")));
        admin(tenant).body(settings(URL, "budget.exploded")).put(PATH).then()
                .body("unknownEventTypes", contains("budget.exploded"))
                .body("knownEventTypes", hasItem("cost.anomaly_detected"));

        for (String body : List.of("{\"url\":\"" + URL + "\",\"events\":[]}", "{\"url\":\"" + URL + "\"}",
                "{\"events\":[\"budget.exhausted\"]}", "{\"url\":\"\",\"events\":[\"budget.exhausted\"]}",
                "{\"url\":\"" + URL + "\",\"events\":[\"\"]}", "{\"url\":\"" + URL + "\",", "")) {
            admin(tenant).body(body).put(PATH).then().statusCode(400).contentType(PROBLEM);
        }
        assertThat(WebhookRows.count("SELECT count(*) FROM webhook_settings")).isZero();
    }

    @Test
    void onlyTenantAdminsChangeTheWebhook() {
        Api.as(tenant, Roles.TENANT_USER).body(BODY).put(PATH).then().statusCode(403).contentType(PROBLEM);
        Api.asService(tenant).body(BODY).put(PATH).then().statusCode(403).contentType(PROBLEM);
        assertThat(WebhookRows.count("SELECT count(*) FROM webhook_settings")).isZero();

        admin(tenant).body(BODY).put(PATH).then().statusCode(201);
        Api.as(tenant, Roles.TENANT_USER).post(PATH + "/rotate-secret").then().statusCode(403);
        Api.as(tenant, Roles.TENANT_USER).delete(PATH).then().statusCode(403);
        Api.asService(tenant).get(PATH).then().statusCode(403);
        assertThat(column(tenant, "rotated_at")).isNull();
    }

    @Test
    void anotherTenantNeitherSeesNorChangesTheWebhook() {
        admin(tenant).body(BODY).put(PATH).then().statusCode(201);
        String ciphertext = column(tenant, "secret_ciphertext");

        Api.as(other, Roles.TENANT_ADMIN).get(PATH).then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/webhook-not-found"));
        Api.as(other, Roles.TENANT_ADMIN).post(PATH + "/rotate-secret").then().statusCode(404);
        Api.as(other, Roles.TENANT_ADMIN).delete(PATH).then().statusCode(204);
        Api.as(other, Roles.TENANT_ADMIN).body(settings(URL + "/other", "budget.exhausted")).put(PATH).then()
                .statusCode(201);

        assertThat(column(tenant, "url")).isEqualTo(URL);
        assertThat(column(tenant, "secret_ciphertext")).isEqualTo(ciphertext);
        assertThat(column(tenant, "rotated_at")).isNull();
        assertThat(column(other, "url")).isEqualTo(URL + "/other");
        // sealed for its tenant: A's ciphertext does not open for B
        assertThatThrownBy(() -> secrets.open(other, "webhook_secret", ciphertext).await().atMost(WAIT))
                .isInstanceOf(SecretRefusedException.class);
    }

    @Test
    void aDeletedWebhookIsGone() {
        admin(tenant).body(BODY).put(PATH).then().statusCode(201);
        admin(tenant).delete(PATH).then().statusCode(204);

        Api.as(tenant).get(PATH).then().statusCode(404).contentType(PROBLEM);
        admin(tenant).post(PATH + "/rotate-secret").then().statusCode(404).contentType(PROBLEM);
        assertThat(WebhookRows.count("SELECT count(*) FROM webhook_settings")).isZero();
    }

    private static RequestSpecification admin(TenantId tenant) {
        return Api.as(tenant, Roles.TENANT_ADMIN);
    }

    private static String settings(String url, String event) {
        return "{\"url\":\"" + url + "\",\"events\":[\"" + event + "\"]}";
    }

    private static String column(TenantId tenant, String expression) {
        return WebhookRows.text("SELECT " + expression + " FROM webhook_settings WHERE tenant_id = '" + tenant + "'");
    }

    private String open(String ciphertext) {
        return secrets.open(tenant, "webhook_secret", ciphertext).await().atMost(WAIT);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
