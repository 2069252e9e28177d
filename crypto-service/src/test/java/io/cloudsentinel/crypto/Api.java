package io.cloudsentinel.crypto;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.Set;

import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls the service as the gateway would: with a context signed for a tenant. */
final class Api {

    private Api() {
    }

    static RequestSpecification as(TenantId tenant, String... roles) {
        return asUser(tenant, "user", roles);
    }

    static RequestSpecification asUser(TenantId tenant, String user, String... roles) {
        return given().headers(signed(tenant, user, roles)).contentType(ContentType.JSON);
    }

    /** The signed context headers themselves, for tests that tamper with them. */
    static Map<String, String> signed(TenantId tenant, String user, String... roles) {
        SignedContextCodec codec = Arc.container().instance(SignedContextCodec.class).get();
        return codec.sign(new TenantContext(tenant, user, roles.length == 0
                ? Set.of(Roles.TENANT_USER)
                : Set.of(roles)));
    }
}
