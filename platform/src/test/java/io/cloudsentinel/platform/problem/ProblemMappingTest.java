package io.cloudsentinel.platform.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ManagementInterface;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SignedCalls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;

/** Failures leave as RFC 9457 problem+json that says what is wrong, and nothing is half-written. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ProblemMappingTest {

    private static final SignedCalls GATEWAY = SignedCalls.asGateway("probe");

    private static Filter signed() {
        return GATEWAY.filter(new TenantContext(TenantId.random(), "bob", Set.of(Roles.TENANT_USER)));
    }

    @Test
    void malformedJsonIs400() {
        given().filter(signed()).contentType(ContentType.JSON).body("{\"body\": ")
                .when().post("/probe/notes")
                .then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemTypes.MALFORMED_REQUEST.toString()))
                .body("detail", equalTo("the body is not valid JSON"));
    }

    @Test
    void aFieldOfTheWrongTypeIs400NamingTheField() {
        given().filter(signed()).contentType(ContentType.JSON).body("{\"body\": {\"nested\": true}}")
                .when().post("/probe/notes")
                .then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemTypes.MALFORMED_REQUEST.toString()))
                .body("detail", containsString("'body'"));
    }

    @Test
    void anInvalidFieldIs400WithTheViolation() {
        given().filter(signed()).contentType(ContentType.JSON).body("{\"body\": \"  \"}")
                .when().post("/probe/notes")
                .then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemTypes.VALIDATION_FAILED.toString()))
                .body("violations", hasSize(1))
                .body("violations[0].field", equalTo("body"));
    }

    @Test
    void anUnknownPathIs404() {
        given().filter(signed())
                .when().get("/probe/nowhere")
                .then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemTypes.NOT_FOUND.toString()));
    }

    @Test
    void aWrongMediaTypeIs415() {
        given().filter(signed()).contentType(ContentType.TEXT).body("hello")
                .when().post("/probe/notes")
                .then().statusCode(415)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void anUnexpectedFailureIs500WithoutInternals() {
        given().filter(signed())
                .when().get("/probe/boom")
                .then().statusCode(500)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemTypes.INTERNAL.toString()))
                .body("errorId", notNullValue())
                .body(not(containsString("hunter2")))
                .body(not(containsString("IllegalStateException")));
    }

    @Test
    void tenantWorkWithoutContextIsItsOwnProblemTypeAndCounted() {
        double before = missingCount();

        given().filter(signed())
                .when().get("/probe/notes/without-tenant")
                .then().statusCode(500)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemTypes.TENANT_CONTEXT_MISSING.toString()));

        org.assertj.core.api.Assertions.assertThat(missingCount()).isEqualTo(before + 1);
    }

    @Test
    void aRefusalAfterAnInsertLeavesNothingWritten() {
        Filter caller = signed();

        given().filter(caller).contentType(ContentType.JSON).body("{\"body\": \"half\"}")
                .queryParam("failAfterInsert", true)
                .when().post("/probe/notes")
                .then().statusCode(422)
                .contentType(Problem.MEDIA_TYPE);

        given().filter(caller).when().get("/probe/notes").then().statusCode(200).body("$", hasSize(0));
    }

    private static double missingCount() {
        String scrape = given().when().get(ManagementInterface.url("/q/metrics")).then().statusCode(200).extract().asString();
        return scrape.lines()
                .filter(line -> line.startsWith("cs_tenant_context_missing_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
