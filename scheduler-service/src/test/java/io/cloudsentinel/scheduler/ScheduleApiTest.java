package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The schedules API: what a tenant sees and may change, and what it may not send. */
@QuarkusTest
@SchedulerTestResources
class ScheduleApiTest {

    private static final String PROBLEM = "application/problem+json";

    private final TenantId tenant = TenantId.random();

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @Test
    void aTenantAdminOverridesTheIntervalAndTheScheduleShowsIt() {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"enabled\":true,\"interval\":\"PT2H\"}")
                .put("/api/v1/schedules/me/finops_analysis")
                .then().statusCode(200)
                .body("tier", equalTo("DORMANT"))
                .body("schedules", hasSize(1))
                .body("schedules[0].jobType", equalTo("finops_analysis"))
                .body("schedules[0].interval", equalTo("PT2H"))
                .body("schedules[0].intervalOverride", equalTo("PT2H"))
                .body("schedules[0].emitted", equalTo(true));

        Api.as(tenant).get("/api/v1/schedules/me").then().statusCode(200)
                .body("tenantId", equalTo(tenant.toString()))
                .body("schedules.jobType", hasItem("finops_analysis"))
                .body("schedules[0].nextRunAt", notNullValue());

        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"enabled\":false}")
                .put("/api/v1/schedules/me/finops_analysis")
                .then().statusCode(200)
                .body("schedules[0].enabled", equalTo(false))
                .body("schedules[0].intervalOverride", nullValue())
                .body("schedules[0].interval", equalTo("PT6H"));
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"enabled\":true}").put("/api/v1/schedules/me/zombie_scan")
                .then().statusCode(200);

        Api.as(TenantId.random()).get("/api/v1/schedules/me").then().statusCode(200).body("schedules", hasSize(0));
    }

    @Test
    void onlyAdminsChangeSchedules() {
        Api.as(tenant).body("{\"enabled\":true}").put("/api/v1/schedules/me/finops_analysis")
                .then().statusCode(403).contentType(PROBLEM);
        Api.as(tenant).header("Idempotency-Key", "k1").post("/api/v1/schedules/me/finops_analysis/run-now")
                .then().statusCode(403).contentType(PROBLEM);
        Api.as(tenant, Roles.TENANT_ADMIN).get("/api/v1/schedules/stats").then().statusCode(403)
                .contentType(PROBLEM);
        assertThat(Db.count("SELECT count(*) FROM schedules")).isZero();
    }

    @Test
    void anUnknownJobTypeIsNotFoundAndNamesTheKnownOnes() {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"enabled\":true}").put("/api/v1/schedules/me/bitcoin_mining")
                .then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/unknown-job-type"))
                .body("jobType", equalTo("bitcoin_mining"))
                .body("knownJobTypes", hasItem("finops_analysis"));
        Api.as(tenant, Roles.TENANT_ADMIN).header("Idempotency-Key", "k1")
                .post("/api/v1/schedules/me/bitcoin_mining/run-now").then().statusCode(404).contentType(PROBLEM);
        assertThat(Db.count("SELECT count(*) FROM tenants")).isZero();
    }

    @Test
    void anIntervalBelowTheMinimumIsRefused() {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"enabled\":true,\"interval\":\"PT1M\"}")
                .put("/api/v1/schedules/me/finops_analysis")
                .then().statusCode(422).contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/interval-out-of-range"))
                .body("minimum", equalTo("PT15M"));
        assertThat(Db.count("SELECT count(*) FROM schedules")).isZero();
    }

    @Test
    void malformedRequestsAreProblemsAndWriteNothing() {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"enabled\":tru").put("/api/v1/schedules/me/finops_analysis")
                .then().statusCode(400).contentType(PROBLEM);
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"interval\":\"PT2H\"}").put("/api/v1/schedules/me/finops_analysis")
                .then().statusCode(400).contentType(PROBLEM);
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"enabled\":true,\"interval\":\"two hours\"}")
                .put("/api/v1/schedules/me/finops_analysis")
                .then().statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("interval"));
        Api.as(tenant, Roles.TENANT_ADMIN).contentType(ContentType.TEXT).body("enabled")
                .put("/api/v1/schedules/me/finops_analysis")
                .then().statusCode(415).contentType(PROBLEM);
        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/schedules/me/finops_analysis/run-now")
                .then().statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("Idempotency-Key"));
        assertThat(Db.count("SELECT count(*) FROM schedules")).isZero();
        assertThat(Db.count("SELECT count(*) FROM manual_runs")).isZero();
    }

    @Test
    void runNowEmitsOnceThroughTheOutboxPerIdempotencyKey() {
        String jobId = Api.as(tenant, Roles.TENANT_ADMIN).header("Idempotency-Key", "nightly-rerun-1")
                .post("/api/v1/schedules/me/finops_analysis/run-now")
                .then().statusCode(202)
                .body("dedupKey", equalTo(tenant + ":finops_analysis:manual:nightly-rerun-1"))
                .extract().path("jobId");

        Api.as(tenant, Roles.TENANT_ADMIN).header("Idempotency-Key", "nightly-rerun-1")
                .post("/api/v1/schedules/me/finops_analysis/run-now")
                .then().statusCode(200).body("jobId", equalTo(jobId));
        Api.as(tenant, Roles.TENANT_ADMIN).header("Idempotency-Key", "nightly-rerun-1")
                .post("/api/v1/schedules/me/zombie_scan/run-now")
                .then().statusCode(422).contentType(PROBLEM);

        assertThat(Db.count("SELECT count(*) FROM cs_outbox WHERE tenant_id = '" + tenant + "'"
                + " AND topic = 'jobs.requested' AND payload::jsonb ->> 'jobId' = '" + jobId + "'")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isEqualTo(1);
    }

    @Test
    void platformAdminsSeeTheStats() {
        Db.dueTenants(3, "cost_ingestion", "now()", 3600, "now() - interval '1 hour'");

        Api.as(tenant, Roles.PLATFORM_ADMIN).get("/api/v1/schedules/stats").then().statusCode(200)
                .body("dueSchedules", equalTo(3))
                .body("tenantsByTier.ACTIVE", equalTo(3))
                .body("outboxPending", equalTo(0));
    }

    @Test
    void withoutASignedContextNothingIsServed() {
        io.restassured.RestAssured.given().get("/api/v1/schedules/me").then().statusCode(401).contentType(PROBLEM);
    }
}
