package io.cloudsentinel.budget;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.OpenApiContract;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document says what each operation does, what it answers and with which problems it can refuse. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class OpenApiDocumentTest {

    private OpenApiContract document;

    @BeforeEach
    void fetch() throws Exception {
        document = OpenApiContract.of(given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
    }

    @Test
    void everyOperationHasASummaryItsSuccessAndTheProblemsAnyCallCanMeet() {
        assertThat(document.documentedOperations()).containsExactlyInAnyOrder("POST /api/v1/llm/authorizations",
                "POST /api/v1/llm/authorizations/{holdId}/settle", "DELETE /api/v1/llm/authorizations/{holdId}",
                "GET /api/v1/llm/models", "GET /api/v1/budgets/me", "PUT /api/v1/budgets/me",
                "GET /api/v1/budgets/me/ledger", "GET /api/v1/budgets/ledger-check",
                "GET /api/v1/budgets/outbox/parked", "POST /api/v1/budgets/outbox/parked/{id}/retry",
                "DELETE /api/v1/budgets/outbox/parked/{id}", "GET /api/v1/llm/settings", "PUT /api/v1/llm/settings",
                "DELETE /api/v1/llm/settings", "DELETE /api/v1/llm/settings/api-key",
                "GET /api/v1/llm/settings/credentials", "PUT /api/v1/llm/settings/legacy-import",
                "POST /api/v1/llm/settings/rewrap", "GET /api/v1/llm/usage");
    }

    @Test
    void anAuthorizationNamesItsHoldAndTheRefusalsOfBudgetAndModel() {
        JsonNode authorize = document.operation("post", "/api/v1/llm/authorizations");
        for (String status : List.of("201", "200")) {
            assertThat(authorize.at("/responses/" + status + "/content/application~1json/schema/$ref").asText())
                    .isEqualTo("#/components/schemas/AuthorizationResponse");
        }
        document.assertProblem(authorize, "400");
        document.assertProblem(authorize, "402");
        document.assertProblem(authorize, "422");
        assertThat(authorize.at("/responses/422/description").asText()).contains("unknown-model",
                "idempotency-key-reused");
    }

    @Test
    void aSettledHoldCannotBeReleasedAndAnUnknownOneIsNotFound() {
        JsonNode release = document.operation("delete", "/api/v1/llm/authorizations/{holdId}");
        assertThat(release.path("responses").has("204")).isTrue();
        document.assertProblem(release, "404");
        document.assertProblem(release, "409");
        document.assertProblem(document.operation("post", "/api/v1/llm/authorizations/{holdId}/settle"), "404");
    }

    @Test
    void everyCallSaysWhoMayMakeIt() {
        document.assertProblem(document.operation("put", "/api/v1/budgets/me"), "403");
        document.assertProblem(document.operation("get", "/api/v1/budgets/ledger-check"), "403");
        document.assertProblem(document.operation("get", "/api/v1/budgets/me"), "403");
        document.assertProblem(document.operation("post", "/api/v1/llm/authorizations"), "403");
        document.assertProblem(document.operation("delete", "/api/v1/llm/authorizations/{holdId}"), "403");
    }

    @Test
    void theLlmSettingsNameTheirRefusalsAndWhoMaySeeTheSealedKey() {
        JsonNode put = document.operation("put", "/api/v1/llm/settings");
        for (String status : List.of("400", "403", "422", "503")) {
            document.assertProblem(put, status);
        }
        assertThat(put.at("/responses/422/description").asText()).contains("unknown-provider", "unknown-model",
                "destination-refused");
        JsonNode credentials = document.operation("get", "/api/v1/llm/settings/credentials");
        document.assertProblem(credentials, "403");
        document.assertProblem(credentials, "404");
        document.assertProblem(document.operation("put", "/api/v1/llm/settings/legacy-import"), "422");
        document.assertProblem(document.operation("get", "/api/v1/llm/usage"), "400");
    }

    @Test
    void theProblemSchemaHasTheMembersOfRfc9457AndRoomForExtensions() {
        document.assertProblemSchema();
    }

}
