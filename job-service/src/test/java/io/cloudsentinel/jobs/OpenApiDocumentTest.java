package io.cloudsentinel.jobs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document says what each operation does, what it answers and with which problems it can refuse. */
@QuarkusTest
@JobsTestResources
class OpenApiDocumentTest {

    private OpenApiContract document;

    @BeforeEach
    void fetch() {
        document = OpenApiContract.of(given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
    }

    @Test
    void everyOperationHasASummaryItsSuccessAndTheProblemsAnyCallCanMeet() {
        assertThat(document.documentedOperations()).containsExactlyInAnyOrder("POST /api/v1/jobs",
                "GET /api/v1/jobs", "GET /api/v1/jobs/{id}", "POST /api/v1/jobs/{id}/cancel",
                "GET /api/v1/jobs/dlq", "POST /api/v1/jobs/dlq/{id}/replay", "POST /api/v1/jobs/dlq/replay",
                "GET /api/v1/jobs/stats", "GET /api/v1/jobs/shares/{tenantId}", "PUT /api/v1/jobs/shares/{tenantId}",
                "GET /api/v1/jobs/outbox/parked", "POST /api/v1/jobs/outbox/parked/{id}/retry",
                "DELETE /api/v1/jobs/outbox/parked/{id}", "GET /api/v1/jobs/{id}/result", "GET /api/v1/jobs/analyses",
                "PUT /api/v1/jobs/settings/webhook", "GET /api/v1/jobs/settings/webhook",
                "DELETE /api/v1/jobs/settings/webhook", "POST /api/v1/jobs/settings/webhook/rotate-secret",
                "POST /api/v1/costs/imports", "GET /api/v1/costs/imports", "GET /api/v1/costs/imports/{id}",
                "GET /api/v1/costs/summary", "GET /api/v1/costs/settings", "PUT /api/v1/costs/settings",
                "GET /api/v1/costs/anomalies", "GET /api/v1/costs/idle-resources", "GET /api/v1/costs/sources",
                "PUT /api/v1/costs/sources/{name}", "GET /api/v1/costs/sources/{name}",
                "DELETE /api/v1/costs/sources/{name}", "POST /api/v1/jobs/secrets/rewrap");
        document.assertProblem(document.operation("delete", "/api/v1/jobs/outbox/parked/{id}"), "404");
        document.assertProblem(document.operation("get", "/api/v1/jobs/{id}/result"), "404");
        document.assertProblem(document.operation("put", "/api/v1/jobs/settings/webhook"), "422");
        document.assertProblem(document.operation("get", "/api/v1/jobs/outbox/parked"), "403");
        document.assertProblem(document.operation("post", "/api/v1/costs/imports"), "413");
        document.assertProblem(document.operation("post", "/api/v1/costs/imports"), "422");
    }

    @Test
    void aSubmissionIsCreatedOnceAndItsRefusalsAreNamed() {
        JsonNode submit = document.operation("post", "/api/v1/jobs");
        for (String status : List.of("201", "200")) {
            assertThat(submit.at("/responses/" + status + "/content/application~1json/schema/$ref").asText())
                    .isEqualTo("#/components/schemas/Job");
        }
        for (String status : List.of("400", "403", "409", "413", "422")) {
            document.assertProblem(submit, status);
        }
        assertThat(submit.at("/responses/409/description").asText()).contains("idempotency-key-reused");
        assertThat(submit.at("/responses/422/description").asText()).contains("unknown-job-type");
    }

    @Test
    void aJobIsNotFoundAndAFinishedOneIsNotCancelled() {
        document.assertProblem(document.operation("get", "/api/v1/jobs/{id}"), "404");
        JsonNode cancel = document.operation("post", "/api/v1/jobs/{id}/cancel");
        assertThat(cancel.at("/responses/202/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Job");
        document.assertProblem(cancel, "404");
        document.assertProblem(cancel, "409");
        assertThat(cancel.at("/responses/409/description").asText()).contains("job-finished");
        document.assertProblem(document.operation("get", "/api/v1/jobs"), "400");
    }

    @Test
    void deadLettersAreForAdminsAndOnlyDeadJobsAreReplayed() {
        JsonNode replay = document.operation("post", "/api/v1/jobs/dlq/{id}/replay");
        document.assertProblem(replay, "403");
        document.assertProblem(replay, "404");
        document.assertProblem(replay, "409");
        document.assertProblem(document.operation("get", "/api/v1/jobs/dlq"), "403");
        JsonNode bulk = document.operation("post", "/api/v1/jobs/dlq/replay");
        document.assertProblem(bulk, "400");
        document.assertProblem(bulk, "422");
    }

    @Test
    void sharesAreForPlatformAdmins() {
        document.assertProblem(document.operation("get", "/api/v1/jobs/shares/{tenantId}"), "403");
        document.assertProblem(document.operation("put", "/api/v1/jobs/shares/{tenantId}"), "403");
        document.assertProblem(document.operation("put", "/api/v1/jobs/shares/{tenantId}"), "400");
    }

    @Test
    void theProblemSchemaHasTheMembersOfRfc9457AndRoomForExtensions() {
        document.assertProblemSchema();
    }
}
