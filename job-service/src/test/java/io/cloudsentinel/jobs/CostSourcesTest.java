package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/**
 * A tenant's cost sources through the API, with the real crypto-service, under the production destination policy
 * (no private destinations, https only): the URL and the header's value are stored only sealed, with the host in the
 * clear, and never shown; bad input writes nothing; tenants are apart.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
@TestProfile(CostSourcesTest.PublicSourcesOnly.class)
class CostSourcesTest {

    private static final String PATH = "/api/v1/costs/sources";
    private static final String PROBLEM = "application/problem+json";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PURPOSE = "cost_source_secret";
    /** A public address (no lookup needed): the guard lets it pass, nothing is ever fetched from it here. */
    private static final String HOST = "93.184.215.14";
    private static final String SIGNATURE = "X-Amz-Signature=5ecre7519na7ure";
    private static final String URL = "https://" + HOST + "/exports/focus-00001.csv.gz?" + SIGNATURE;
    private static final String TOKEN = "Bearer t0ken-of-the-tenant";

    /** The destination policy of production: the test profile otherwise allows private destinations. */
    public static class PublicSourcesOnly implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cs.jobs.costs.sources.allow-private", "false");
        }
    }

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();

    @Inject
    TenantSecrets secrets;

    @BeforeEach
    void clean() {
        WebhookRows.execute("TRUNCATE cost_sources");
    }

    @Test
    void aSourceIsStoredAsCiphertextsAndItsHostOnly() {
        admin(tenant).body(source(URL, true, "Authorization", TOKEN)).put(PATH + "/aws-cur").then().statusCode(201)
                .body("name", equalTo("aws-cur")).body("host", equalTo(HOST)).body("manifest", equalTo(true))
                .body("headerName", equalTo("Authorization")).body("headerSet", equalTo(true))
                .body("createdAt", notNullValue()).body("updatedAt", notNullValue());

        String urlCiphertext = column(tenant, "aws-cur", "url_ciphertext");
        String headerCiphertext = column(tenant, "aws-cur", "header_ciphertext");
        assertThat(urlCiphertext).startsWith("cs:v");
        assertThat(headerCiphertext).startsWith("cs:v");
        assertThat(column(tenant, "aws-cur", "url_host")).isEqualTo(HOST);
        assertThat(open(tenant, urlCiphertext)).isEqualTo(URL);
        assertThat(open(tenant, headerCiphertext)).isEqualTo(TOKEN);
        assertThat(rowsHolding(SIGNATURE)).as("rows holding the URL's signature").isZero();
        assertThat(rowsHolding("/exports/")).as("rows holding the URL's path").isZero();
        assertThat(rowsHolding("t0ken")).as("rows holding the header value").isZero();
    }

    @Test
    void aSecondPutReplacesTheWholeSource() {
        admin(tenant).body(source(URL, true, "Authorization", TOKEN)).put(PATH + "/aws-cur").then().statusCode(201);
        String createdAt = column(tenant, "aws-cur", "created_at");

        admin(tenant).body(Map.of("url", "https://" + HOST + "/other.csv")).put(PATH + "/aws-cur").then()
                .statusCode(200).body("manifest", equalTo(false)).body("headerSet", equalTo(false))
                .body("headerName", nullValue());

        assertThat(open(tenant, column(tenant, "aws-cur", "url_ciphertext"))).isEqualTo("https://" + HOST
                + "/other.csv");
        assertThat(column(tenant, "aws-cur", "header_name")).isNull();
        assertThat(column(tenant, "aws-cur", "header_ciphertext")).isNull();
        assertThat(column(tenant, "aws-cur", "created_at")).isEqualTo(createdAt);
        assertThat(WebhookRows.count("SELECT count(*) FROM cost_sources")).isEqualTo(1);
    }

    @Test
    void readingSourcesNeverShowsTheUrlOrTheHeaderValue() {
        admin(tenant).body(source(URL, false, "Authorization", TOKEN)).put(PATH + "/b-source").then().statusCode(201);
        admin(tenant).body(Map.of("url", URL)).put(PATH + "/a-source").then().statusCode(201);

        for (String role : List.of(Roles.TENANT_USER, Roles.TENANT_ADMIN)) {
            String listed = Api.as(tenant, role).get(PATH).then().statusCode(200)
                    .body("sources.name", contains("a-source", "b-source"))
                    .body("sources.host", contains(HOST, HOST)).extract().asString();
            String one = Api.as(tenant, role).get(PATH + "/b-source").then().statusCode(200)
                    .body("headerName", equalTo("Authorization")).body("headerSet", equalTo(true)).extract()
                    .asString();
            for (String body : List.of(listed, one)) {
                assertThat(body).doesNotContain("5ecre7", "/exports/", "t0ken", "cs:v", "\"url\"");
            }
        }
    }

    @Test
    void badSourcesAreProblemsAndWriteNothing() {
        Map<String, String> refusedUrls = Map.of(
                "http://" + HOST + "/focus.csv", "scheme-not-allowed",
                "https://127.0.0.1/focus.csv?" + SIGNATURE, "loopback",
                "https://10.1.2.3/focus.csv", "private",
                "https://169.254.169.254/latest/meta-data", "metadata",
                "https://user:pw@" + HOST + "/focus.csv", "userinfo-not-allowed",
                "ftp://" + HOST + "/focus.csv", "scheme-not-allowed",
                "not a url", "malformed-url");
        refusedUrls.forEach((url, reason) -> admin(tenant).body(Map.of("url", url)).put(PATH + "/aws").then()
                .statusCode(422).contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/destination-refused"))
                .body("reason", equalTo(reason)).body("detail", not(containsString("5ecre7"))));

        for (String name : List.of("Aws", "-aws", "_aws", "a%20b", "a.b", "a".repeat(65))) {
            admin(tenant).body(Map.of("url", URL)).put(PATH + "/" + name).then().statusCode(422)
                    .contentType(PROBLEM).body("type", equalTo("https://cloudsentinel.dev/problems/invalid-source-name"));
        }
        for (Map<String, String> header : List.of(Map.of("name", "Host", "value", "x"),
                Map.of("name", "Content-Type", "value", "text/csv"), Map.of("name", "content-length", "value", "1"),
                Map.of("name", "Transfer-Encoding", "value", "chunked"), Map.of("name", "X Token", "value", "x"),
                Map.of("name", "X-Token", "value", "a\r\nHost: evil"), Map.of("name", "X-Token", "value", ""))) {
            admin(tenant).body(Map.of("url", URL, "header", header)).put(PATH + "/aws").then().statusCode(422)
                    .contentType(PROBLEM).body("type", equalTo("https://cloudsentinel.dev/problems/invalid-header"))
                    .body("detail", not(containsString("evil")));
        }
        for (String body : List.of("{}", "{\"url\":\"\"}", "{\"url\":\"" + URL + "\",\"header\":{\"value\":\"x\"}}",
                "{\"url\":\"" + URL + "\",", "")) {
            admin(tenant).body(body).put(PATH + "/aws").then().statusCode(400).contentType(PROBLEM);
        }
        assertThat(WebhookRows.count("SELECT count(*) FROM cost_sources")).isZero();
    }

    @Test
    void onlyTenantAdminsChangeSources() {
        Api.as(tenant, Roles.TENANT_USER).body(Map.of("url", URL)).put(PATH + "/aws").then().statusCode(403)
                .contentType(PROBLEM);
        Api.asService(tenant).body(Map.of("url", URL)).put(PATH + "/aws").then().statusCode(403);
        assertThat(WebhookRows.count("SELECT count(*) FROM cost_sources")).isZero();

        admin(tenant).body(Map.of("url", URL)).put(PATH + "/aws").then().statusCode(201);
        Api.as(tenant, Roles.TENANT_USER).delete(PATH + "/aws").then().statusCode(403);
        Api.asService(tenant).get(PATH).then().statusCode(403);
        assertThat(WebhookRows.count("SELECT count(*) FROM cost_sources")).isEqualTo(1);
    }

    @Test
    void anotherTenantNeitherSeesNorChangesTheSource() {
        admin(tenant).body(source(URL, false, "Authorization", TOKEN)).put(PATH + "/aws").then().statusCode(201);
        String ciphertext = column(tenant, "aws", "url_ciphertext");

        Api.as(other, Roles.TENANT_ADMIN).get(PATH + "/aws").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/cost-source-not-found"));
        Api.as(other, Roles.TENANT_ADMIN).get(PATH).then().statusCode(200).body("sources", org.hamcrest.Matchers.empty());
        Api.as(other, Roles.TENANT_ADMIN).delete(PATH + "/aws").then().statusCode(204);
        Api.as(other, Roles.TENANT_ADMIN).body(Map.of("url", "https://" + HOST + "/theirs.csv")).put(PATH + "/aws")
                .then().statusCode(201);

        assertThat(column(tenant, "aws", "url_ciphertext")).isEqualTo(ciphertext);
        assertThat(column(tenant, "aws", "header_name")).isEqualTo("Authorization");
        assertThat(open(other, column(other, "aws", "url_ciphertext"))).isEqualTo("https://" + HOST + "/theirs.csv");
    }

    @Test
    void aDeletedSourceIsGone() {
        admin(tenant).body(Map.of("url", URL)).put(PATH + "/aws").then().statusCode(201);

        admin(tenant).delete(PATH + "/aws").then().statusCode(204);

        Api.as(tenant).get(PATH + "/aws").then().statusCode(404).contentType(PROBLEM);
        admin(tenant).delete(PATH + "/aws").then().statusCode(204);
        assertThat(WebhookRows.count("SELECT count(*) FROM cost_sources")).isZero();
    }

    private static RequestSpecification admin(TenantId tenant) {
        return Api.as(tenant, Roles.TENANT_ADMIN);
    }

    private static Map<String, Object> source(String url, boolean manifest, String headerName, String headerValue) {
        return Map.of("url", url, "manifest", manifest, "header", Map.of("name", headerName, "value", headerValue));
    }

    private static String column(TenantId tenant, String name, String column) {
        return WebhookRows.text("SELECT " + column + " FROM cost_sources WHERE tenant_id = '" + tenant
                + "' AND name = '" + name + "'");
    }

    private static long rowsHolding(String text) {
        return WebhookRows.count("SELECT count(*) FROM cost_sources s WHERE s::text LIKE '%"
                + text.replace("'", "''") + "%'");
    }

    private String open(TenantId owner, String ciphertext) {
        return secrets.open(owner, PURPOSE, ciphertext).await().atMost(WAIT);
    }
}
