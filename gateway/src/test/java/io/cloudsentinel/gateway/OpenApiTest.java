package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** One OpenAPI document for the whole API, merged from the services, and Swagger UI to read it. */
@QuarkusTest
@WithTestResource(OpenApiUpstreams.class)
class OpenApiTest {

    @Inject
    OpenApiDocument document;

    @Test
    void theDocumentHoldsEveryServicesPublicPathsAndSchemas() {
        given().get("/openapi.json").then().statusCode(200)
                .body("paths.'/api/v1/budgets/me'.get.tags[0]", equalTo("budget"))
                .body("paths.'/api/v1/schedules/me'.get.tags[0]", equalTo("scheduler"))
                .body("paths.'/q/health'", nullValue())
                .body("components.schemas.Problem.properties.title", notNullValue())
                .body("components.schemas.scheduler_Problem.properties.detail", notNullValue())
                .body("paths.'/api/v1/schedules/me'.get.responses.'200'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/scheduler_Problem"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("paths.'/api/v1/budgets/me'.get.responses.'429'.content.'application/problem+json'.schema.'$ref'",
                        equalTo("#/components/schemas/Problem"))
                .body("paths.'/api/v1/schedules/me'.get.responses.'401'.description", containsString("bearer token"))
                .body("paths.'/api/v1/schedules/me'.get.responses.'503'.content.'application/problem+json'.schema.'$ref'",
                        equalTo("#/components/schemas/Problem"))
                .body("'x-unavailable-services'", hasItems("crypto", "jobs"));
    }

    /** Twenty requests on a cold cache at once: each deployed service (two here) is asked for its document once. */
    @Test
    void aBurstOnAColdCacheAsksEachServiceOnce() throws Exception {
        document.forget();
        int before = OpenApiUpstreams.FETCHES.get();
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<Integer>> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> given().get("/openapi.json").then().extract()
                        .statusCode(), clients));
            }
            for (CompletableFuture<Integer> request : burst) {
                assertThat(request.get()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(OpenApiUpstreams.FETCHES.get() - before).isEqualTo(2);
    }

    @Test
    void swaggerUiShowsTheMergedDocument() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("/openapi.json"));
    }
}
