package io.cloudsentinel.scheduler;

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
@SchedulerTestResources
class OpenApiDocumentTest {

    private OpenApiContract document;

    @BeforeEach
    void fetch() throws Exception {
        document = OpenApiContract.of(given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
    }

    @Test
    void everyOperationHasASummaryItsSuccessAndTheProblemsAnyCallCanMeet() {
        assertThat(document.documentedOperations()).containsExactlyInAnyOrder("GET /api/v1/schedules/me",
                "PUT /api/v1/schedules/me/{jobType}", "POST /api/v1/schedules/me/{jobType}/run-now",
                "GET /api/v1/schedules/stats", "GET /api/v1/schedules/outbox/parked",
                "POST /api/v1/schedules/outbox/parked/{id}/retry", "DELETE /api/v1/schedules/outbox/parked/{id}");
    }

    @Test
    void configuringAScheduleNamesItsRefusals() {
        JsonNode configure = document.operation("put", "/api/v1/schedules/me/{jobType}");
        document.assertProblem(configure, "400");
        document.assertProblem(configure, "404");
        document.assertProblem(configure, "422");
        assertThat(configure.at("/responses/422/description").asText()).contains("interval-out-of-range");
    }

    @Test
    void aManualRunIsAcceptedOnceAndAReusedKeyIsRefused() {
        JsonNode runNow = document.operation("post", "/api/v1/schedules/me/{jobType}/run-now");
        for (String status : List.of("202", "200")) {
            assertThat(runNow.at("/responses/" + status + "/content/application~1json/schema/$ref").asText())
                    .isEqualTo("#/components/schemas/RunView");
        }
        document.assertProblem(runNow, "400");
        document.assertProblem(runNow, "422");
        assertThat(runNow.at("/responses/422/description").asText()).contains("idempotency-key-reused");
    }

    @Test
    void changingSchedulesIsForAdminsAndTheStatsForPlatformAdmins() {
        document.assertProblem(document.operation("put", "/api/v1/schedules/me/{jobType}"), "403");
        document.assertProblem(document.operation("post", "/api/v1/schedules/me/{jobType}/run-now"), "403");
        document.assertProblem(document.operation("get", "/api/v1/schedules/stats"), "403");
        assertThat(document.operation("get", "/api/v1/schedules/me").path("responses").has("403")).isFalse();
    }

    @Test
    void theProblemSchemaHasTheMembersOfRfc9457AndRoomForExtensions() {
        document.assertProblemSchema();
    }

}
