package io.cloudsentinel.crypto;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.Set;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.cloudsentinel.testing.SignedCalls;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Calls the service as the gateway would: each request with a context signed for a tenant, for this service, its
 * method, target and body.
 */
final class Api {

    /** The audience contexts are signed for: this service's {@code quarkus.application.name}. */
    static final String AUDIENCE = "crypto-service";

    private static final SignedCalls GATEWAY = SignedCalls.asGateway(AUDIENCE);
    /** A service acting for a tenant signs with its own key, which grants only the role service. */
    private static final SignedCalls SERVICE = new SignedCalls(ContextTestKeys.SERVICE_PRIVATE, AUDIENCE);
    static final String SERVICE_NAME = "job-service";

    private Api() {
    }

    static RequestSpecification as(TenantId tenant, String... roles) {
        return asUser(tenant, "user", roles);
    }

    /** A request that is signed for the user when it is sent, whatever its method, target and body. */
    static RequestSpecification asUser(TenantId tenant, String user, String... roles) {
        return given().filter(GATEWAY.filter(context(tenant, user, roles))).contentType(ContentType.JSON);
    }

    /** A request of a service (signed with a service key) acting for the tenant: its only role is service. */
    static RequestSpecification asService(TenantId tenant) {
        return given().filter(SERVICE.filter(new TenantContext(tenant, SERVICE_NAME, Set.of(Roles.SERVICE))))
                .contentType(ContentType.JSON);
    }

    /**
     * The signed context headers (and Content-Digest) of one exact request, for tests that tamper with them;
     * {@code body} is null for none.
     */
    static Map<String, String> signed(TenantId tenant, String user, String method, String target, String body,
            String... roles) {
        return GATEWAY.headers(context(tenant, user, roles), method, target, body);
    }

    private static TenantContext context(TenantId tenant, String user, String... roles) {
        return new TenantContext(tenant, user, roles.length == 0
                ? Set.of(Roles.TENANT_USER)
                : Set.of(roles));
    }
}
