package io.cloudsentinel.jobs;

import static io.restassured.RestAssured.given;

import java.util.Set;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.cloudsentinel.testing.SignedCalls;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls the service as the gateway would: with a context signed for a tenant. */
public final class Api {

    private Api() {
    }

    private static final SignedCalls GATEWAY = SignedCalls.asGateway("job-service");

    public static RequestSpecification as(TenantId tenant, String... roles) {
        return given().filter(GATEWAY.filter(new TenantContext(tenant, "user-of-" + tenant,
                roles.length == 0 ? Set.of(Roles.TENANT_USER) : Set.of(roles)))).contentType(ContentType.JSON);
    }

    /** As another service acting for the tenant: signed with the test service key, the service role only. */
    public static RequestSpecification asService(TenantId tenant) {
        return given().filter(new SignedCalls(ContextTestKeys.SERVICE_PRIVATE, "job-service").filter(new TenantContext(
                tenant, "another-service", Set.of(Roles.SERVICE)))).contentType(ContentType.JSON);
    }
}
