package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;

/** Platform admins set other tenants' shares; nobody else reads or changes them. */
@QuarkusTest
@JobsTestResources
class SharesApiTest {

    private static final String PROBLEM = "application/problem+json";

    private final TenantId admin = TenantId.random();
    private final TenantId tenant = TenantId.random();

    @Inject
    JobsConfig config;

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @Test
    void aTenantWithoutAShareHasTheDefaults() {
        Api.as(admin, Roles.PLATFORM_ADMIN).get("/api/v1/jobs/shares/" + tenant).then().statusCode(200)
                .body("tenantId", equalTo(tenant.toString()))
                .body("weight", equalTo(1))
                .body("cap", equalTo(config.defaultCap()))
                .body("updatedAt", nullValue());
        assertThat(Db.count("SELECT count(*) FROM tenant_shares")).isZero();
    }

    @Test
    void aPlatformAdminSetsAnotherTenantsShareAndChangesIt() {
        Api.as(admin, Roles.PLATFORM_ADMIN).body("{\"weight\":5,\"cap\":12}").put("/api/v1/jobs/shares/" + tenant)
                .then().statusCode(200).body("weight", equalTo(5)).body("cap", equalTo(12))
                .body("updatedAt", notNullValue());
        assertThat(Db.count("SELECT count(*) FROM tenant_shares WHERE tenant_id = '" + tenant
                + "' AND weight = 5 AND cap = 12")).isEqualTo(1);

        Api.as(admin, Roles.PLATFORM_ADMIN).body("{\"weight\":1000,\"cap\":1}").put("/api/v1/jobs/shares/" + tenant)
                .then().statusCode(200);
        Api.as(admin, Roles.PLATFORM_ADMIN).get("/api/v1/jobs/shares/" + tenant).then().statusCode(200)
                .body("weight", equalTo(1000)).body("cap", equalTo(1));
        assertThat(Db.count("SELECT count(*) FROM tenant_shares")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM tenant_shares WHERE tenant_id = '" + admin + "'")).isZero();
    }

    @Test
    void onlyPlatformAdminsReadOrChangeShares() {
        for (String role : new String[] { Roles.TENANT_ADMIN, Roles.TENANT_USER }) {
            // not even its own tenant's share
            Api.as(tenant, role).get("/api/v1/jobs/shares/" + tenant).then().statusCode(403).contentType(PROBLEM);
            Api.as(tenant, role).body("{\"weight\":1000,\"cap\":1000}").put("/api/v1/jobs/shares/" + tenant)
                    .then().statusCode(403).contentType(PROBLEM);
        }
        assertThat(Db.count("SELECT count(*) FROM tenant_shares")).isZero();
    }

    @Test
    void badSharesAreProblemsAndWriteNothing() {
        for (String body : new String[] { "{\"weight\":0,\"cap\":1}", "{\"weight\":1001,\"cap\":1}",
                "{\"weight\":1,\"cap\":0}", "{\"weight\":1,\"cap\":1001}", "{\"weight\":1}", "{\"cap\":1}",
                "{\"weight\":\"heavy\",\"cap\":1}", "{\"weight\":1,", "" }) {
            Api.as(admin, Roles.PLATFORM_ADMIN).body(body).put("/api/v1/jobs/shares/" + tenant).then()
                    .statusCode(400).contentType(PROBLEM);
        }
        Api.as(admin, Roles.PLATFORM_ADMIN).body("{\"weight\":1,\"cap\":1}").put("/api/v1/jobs/shares/acme")
                .then().statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("tenantId"));
        Api.as(admin, Roles.PLATFORM_ADMIN).get("/api/v1/jobs/shares/acme").then().statusCode(400)
                .contentType(PROBLEM);
        assertThat(Db.count("SELECT count(*) FROM tenant_shares")).isZero();
    }
}
