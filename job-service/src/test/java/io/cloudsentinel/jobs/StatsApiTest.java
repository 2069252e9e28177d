package io.cloudsentinel.jobs;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;

/** Jobs counted by state and type: a tenant sees its own, a platform admin every tenant's. */
@QuarkusTest
@JobsTestResources
class StatsApiTest {

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();

    @BeforeEach
    void jobs() {
        Db.truncateAll();
        Instant now = Instant.now();
        JobRows.job(tenant, "noop", JobState.PENDING, now);
        JobRows.job(tenant, "noop", JobState.PENDING, now);
        JobRows.job(tenant, "cost_ingestion", JobState.DEAD_LETTER, now);
        JobRows.job(other, "noop", JobState.RUNNING, now);
    }

    @Test
    void aTenantCountsOnlyItsOwnJobs() {
        Api.as(tenant).get("/api/v1/jobs/stats").then().statusCode(200)
                .body("scope", equalTo("tenant"))
                .body("tenantId", equalTo(tenant.toString()))
                .body("total", equalTo(3))
                .body("byState.PENDING", equalTo(2))
                .body("byState.DEAD_LETTER", equalTo(1))
                .body("byState.RUNNING", equalTo(0))
                .body("byType.noop", equalTo(2))
                .body("byType.cost_ingestion", equalTo(1))
                .body("counts", hasSize(2));
        Api.as(other, Roles.TENANT_ADMIN).get("/api/v1/jobs/stats").then().statusCode(200)
                .body("total", equalTo(1))
                .body("byState.RUNNING", equalTo(1))
                .body("byState.PENDING", equalTo(0));
        Api.as(TenantId.random()).get("/api/v1/jobs/stats").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aPlatformAdminCountsEveryTenantsJobs() {
        Api.as(TenantId.random(), Roles.PLATFORM_ADMIN).get("/api/v1/jobs/stats").then().statusCode(200)
                .body("scope", equalTo("platform"))
                .body("tenantId", nullValue())
                .body("total", equalTo(4))
                .body("byState.PENDING", equalTo(2))
                .body("byState.RUNNING", equalTo(1))
                .body("byType.noop", equalTo(3));
    }

    @Test
    void aServiceCallerGetsNoCounts() {
        Api.asService(tenant).get("/api/v1/jobs/stats").then().statusCode(403)
                .contentType("application/problem+json");
    }
}
