package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ManagementInterface;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Upstreams whose URL says https are reached over TLS, trusted only through the configured trust store. */
@QuarkusTest
@WithTestResource(HttpsUpstreams.class)
class HttpsUpstreamTest {

    @Test
    void anHttpsUpstreamWithATrustedCertificateIsReachedOverTls() {
        given().auth().oauth2(Tokens.of(TenantId.random())).when().get("/api/v1/budgets/me")
                .then().statusCode(200).body("tls", equalTo(true)).body("path", equalTo("/api/v1/budgets/me"));
    }

    @Test
    void aCertificateOutsideTheTrustStoreIsRefused() {
        given().auth().oauth2(Tokens.of(TenantId.random())).when().get("/api/v1/crypto/keys")
                .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/upstream-unavailable"));
    }

    @Test
    void aTrustedCertificateThatDoesNotNameTheHostIsRefused() {
        given().auth().oauth2(Tokens.of(TenantId.random())).when().get("/api/v1/schedules/me")
                .then().statusCode(503).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void readinessProbesHttpsUpstreamsWithTheSameTrust() {
        given().when().get(ManagementInterface.url("/q/health/ready")).then()
                .body("checks.find { it.name == 'upstreams' }.data.budget", equalTo("UP"))
                .body("checks.find { it.name == 'upstreams' }.data.crypto", org.hamcrest.Matchers.startsWith("DOWN"));
    }
}
