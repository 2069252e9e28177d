package io.cloudsentinel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Per-upstream timeout and circuit breaker: 504 when slow, 503 when down, at once while the breaker is open. */
@QuarkusTest
@WithTestResource(FaultyUpstreams.class)
class UpstreamFaultsTest {

    private static final String BASE = "https://cloudsentinel.dev/problems/";

    private final String token = Tokens.of(TenantId.random(), "platform-admin");

    @AfterEach
    void down() {
        FaultyUpstreams.flakyDown();
    }

    @Test
    void aGetWhoseConnectionDropsBeforeAnyAnswerIsSentOnceMore() {
        FaultyUpstreams.DROPPER_HITS.set(0);

        given().auth().oauth2(token).get("/api/v1/crypto/keys").then().statusCode(200).body("answered", equalTo(true));

        assertThat(FaultyUpstreams.DROPPER_HITS.get()).isEqualTo(2);
    }

    @Test
    void aPostWhoseConnectionDropsIsNotRepeated() {
        FaultyUpstreams.DROPPER_HITS.set(0);

        given().auth().oauth2(token).contentType("application/json").body("{\"plaintext\":\"x\"}")
                .post("/api/v1/crypto/encrypt").then().statusCode(503)
                .body("type", equalTo(BASE + "upstream-unavailable"));

        assertThat(FaultyUpstreams.DROPPER_HITS.get()).isEqualTo(1);
    }

    @Test
    void aSlowUpstreamIs504() {
        given().auth().oauth2(token).get("/api/v1/jobs/slow")
                .then().statusCode(504).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(BASE + "upstream-timeout"));
    }

    @Test
    void theBreakerOpensOnADownUpstreamAnswersAtOnceWhileOpenAndClosesOnceItIsBack() throws Exception {
        for (int i = 0; i < 4; i++) {
            given().auth().oauth2(token).get("/api/v1/schedules/me")
                    .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(BASE + "upstream-unavailable"));
        }
        given().auth().oauth2(token).get("/api/v1/schedules/me")
                .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(BASE + "upstream-circuit-open"))
                .header("Retry-After", "1");

        FaultyUpstreams.flakyUp();
        int hitsBefore = FaultyUpstreams.HITS.get();
        given().auth().oauth2(token).get("/api/v1/schedules/me")
                .then().statusCode(503).body("type", equalTo(BASE + "upstream-circuit-open"));
        assertThat(FaultyUpstreams.HITS.get()).as("nothing is sent while the breaker is open").isEqualTo(hitsBefore);

        Thread.sleep(1_200);
        given().auth().oauth2(token).get("/api/v1/schedules/me").then().statusCode(200).body("up", equalTo(true));
        given().auth().oauth2(token).get("/api/v1/schedules/me").then().statusCode(200);
        assertThat(FaultyUpstreams.HITS.get() - hitsBefore).isEqualTo(2);
    }
}
