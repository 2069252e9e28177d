package io.cloudsentinel.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.testing.OpenApiContract;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document says what each operation does, what it answers and with which problems it can refuse. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class OpenApiDocumentTest {

    private OpenApiContract document;

    @BeforeEach
    void fetch() throws Exception {
        document = OpenApiContract.of(given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
    }

    @Test
    void everyOperationHasASummaryItsSuccessAndTheProblemsAnyCallCanMeet() {
        assertThat(document.documentedOperations()).containsExactlyInAnyOrder("POST /api/v1/crypto/encrypt",
                "POST /api/v1/crypto/decrypt",
                "POST /api/v1/crypto/rewrap", "POST /api/v1/crypto/keys/rotate", "POST /api/v1/crypto/keys/rotate-root",
                "PUT /api/v1/crypto/keys/policy",
                "GET /api/v1/crypto/keys");
    }

    @Test
    void decryptNamesItsAnswerAndTheCiphertextsItRefuses() {
        JsonNode decrypt = document.operation("post", "/api/v1/crypto/decrypt");
        assertThat(decrypt.at("/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/DecryptResponse");
        document.assertProblem(decrypt, "400");
        assertThat(decrypt.at("/responses/400/description").asText()).contains("decryption-failed",
                "key-version-retired");
    }

    @Test
    void theKeysAreForPlatformAdmins() {
        document.assertProblem(document.operation("post", "/api/v1/crypto/keys/rotate"), "403");
        document.assertProblem(document.operation("post", "/api/v1/crypto/keys/rotate-root"), "403");
        document.assertProblem(document.operation("put", "/api/v1/crypto/keys/policy"), "403");
        document.assertProblem(document.operation("put", "/api/v1/crypto/keys/policy"), "400");
        document.assertProblem(document.operation("get", "/api/v1/crypto/keys"), "403");
    }

    @Test
    void legacyTokensAreRefusedByDecryptAndRewrappedByMigrationPrincipalsOnly() {
        assertThat(document.operation("post", "/api/v1/crypto/decrypt").at("/responses/400/description").asText())
                .contains("legacy-token-needs-rewrap");
        JsonNode rewrap = document.operation("post", "/api/v1/crypto/rewrap");
        document.assertProblem(rewrap, "403");
        assertThat(rewrap.at("/description").asText()).contains("migration principal");
    }

    @Test
    void theMinimumDecryptionVersionOnlyRisesWithoutBreakGlass() {
        JsonNode policy = document.operation("put", "/api/v1/crypto/keys/policy");
        document.assertProblem(policy, "409");
        assertThat(policy.at("/responses/409/description").asText()).contains("breakGlass",
                "min-decryption-version-raise-only");
    }

    @Test
    void theProblemSchemaHasTheMembersOfRfc9457AndRoomForExtensions() {
        document.assertProblemSchema();
    }

}
